import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { UsersModule } from '../users/users.module';
import { AvatarService } from './avatar.service';
import { AvatarsController } from './avatars.controller';
import { ChannelFilesController } from './channel-files.controller';
import { ChannelFilesService } from './channel-files.service';
import { DownloadService } from './download.service';
import { FileAttachmentsRepository } from './file-attachments.repository';
import { FileSweeper } from './file-sweeper';
import { FileRepository } from './file.repository';
import { FilesController } from './files.controller';
import { MessageFilesService } from './message-files.service';
import { FILE_STORAGE, FileStorage } from './storage/file-storage';
import { LocalFileStorage } from './storage/local-storage';
import { S3FileStorage } from './storage/s3-storage';
import { UploadService } from './upload.service';

/** The storage driver FILE_STORAGE names: the local disk (DATA_DIR/files) or an S3-compatible bucket. */
export function createFileStorage(config: AppConfig): FileStorage {
  return config.files.storage === 's3' && config.files.s3 ? new S3FileStorage(config.files.s3) : new LocalFileStorage(config.files.localDir);
}

/** Files and images (issue #14): uploads into channels, their metadata and bytes. */
@Module({
  imports: [UsersModule],
  controllers: [FilesController, ChannelFilesController, AvatarsController],
  providers: [
    FileRepository,
    UploadService,
    DownloadService,
    { provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: createFileStorage },
    // Files in the conversation: attached by sends, removed with their message, listed per channel, swept.
    FileAttachmentsRepository,
    MessageFilesService,
    ChannelFilesService,
    FileSweeper,
    // Profile pictures, in the same storage.
    AvatarService,
  ],
  exports: [FileRepository, FILE_STORAGE, MessageFilesService],
})
export class FilesModule {}
