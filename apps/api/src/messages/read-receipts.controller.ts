import { Controller, Get, Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelReadsDto, READ_RECEIPTS_MAX_MEMBERS } from '@parley/contracts';
import { InChannel } from '@api/access/access.decorators';
import { ChannelAction } from '@api/access/access.rules';
import { NotAudited } from '@api/audit/audited.decorator';
import { AuthUser, CurrentUser } from '@api/auth/current-user';
import { ChannelReadsResponseDto } from './dto/read-receipts.dto';
import { ReadReceiptsService } from './read-receipts.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('channels/:id')
export class ReadReceiptsController {
  constructor(private readonly receipts: ReadReceiptsService) {}

  @NotAudited('reading who has read what changes nothing; read positions are the flow of conversation')
  @Get('reads')
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({
    summary: `Read receipts: how far the other members have read (DMs, group DMs, channels of at most ${READ_RECEIPTS_MAX_MEMBERS} members; people with receipts off are left out). Live: readUpdate`,
  })
  @ApiOkResponse({ type: ChannelReadsResponseDto })
  reads(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelReadsDto> {
    return this.receipts.reads(user, id);
  }
}
