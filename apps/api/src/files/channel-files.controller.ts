import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FilePage } from '@parley/contracts';
import { InChannel } from '@api/access/access.decorators';
import { ChannelAction } from '@api/access/access.rules';
import { AuthUser, CurrentUser } from '@api/auth/current-user';
import { ChannelFilesService } from './channel-files.service';
import { FilePageDto, FilePageQueryDto } from './dto/file-page.dto';

@ApiTags('files')
@ApiBearerAuth()
@Controller('channels/:id/files')
export class ChannelFilesController {
  constructor(private readonly files: ChannelFilesService) {}

  @Get()
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({
    summary:
      "The channel's files (attached to messages not deleted), the newest upload first; keyset paging with before = nextBefore",
  })
  @ApiOkResponse({ type: FilePageDto })
  @ApiBadRequestResponse({ description: 'before is not a file of this channel, or limit out of range' })
  list(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: FilePageQueryDto,
  ): Promise<FilePage> {
    return this.files.list(user, id, query);
  }
}
