import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DownloadService } from './download.service';
import { FileRepository } from './file.repository';
import { FilesController } from './files.controller';
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
  controllers: [FilesController],
  providers: [
    FileRepository,
    UploadService,
    DownloadService,
    { provide: FILE_STORAGE, inject: [APP_CONFIG], useFactory: createFileStorage },
  ],
  exports: [FileRepository, FILE_STORAGE],
})
export class FilesModule {}
