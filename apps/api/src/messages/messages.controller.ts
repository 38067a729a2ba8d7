import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MessageDto, MessagePage, ReadUpdateEvent } from '@parley/contracts';
import { NotAudited } from '../audit/audited.decorator';
import { AppException } from '../common/app-exception';
import { Access, InChannel } from '../rbac/access.decorators';
import { WorkspaceAccess } from '../rbac/workspace-access';
import { HistoryQueryDto, MarkReadDto, MessagePageDto, MessageResponseDto, SendMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

class ReadUpdateResponseDto implements ReadUpdateEvent {
  @ApiProperty({ format: 'uuid' }) channelId!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'Your read position now' }) seq!: number;
}

@ApiTags('messages')
@ApiBearerAuth()
@Controller('channels/:id')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get('messages')
  @InChannel('id')
  @ApiOperation({ summary: 'History in ascending seq: the newest page, or the page before/after a seq (keyset paging)' })
  @ApiOkResponse({ type: MessagePageDto })
  async history(
    @Access() access: WorkspaceAccess,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: HistoryQueryDto,
  ): Promise<MessagePage> {
    // The access check already looked at the channel: reading needs no second query.
    if (!access.channel || access.channel.id !== id || !access.canRead(access.channel)) throw AppException.notFound('Channel');
    return this.messages.history(id, query);
  }

  @NotAudited('sends are the flow of conversation, not a change of who may do what; sendMessage over the socket is not audited either')
  @Post('messages')
  @InChannel('id')
  @ApiOperation({ summary: 'Send a message (same rules and broadcast as the sendMessage socket event)' })
  @ApiCreatedResponse({ type: MessageResponseDto, description: 'The stored message; a retry with the same clientMsgId returns it again' })
  async send(@Access() access: WorkspaceAccess, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: SendMessageDto): Promise<MessageDto> {
    return (await this.messages.send(access.userId, id, body)).message;
  }

  @NotAudited('a read position is the flow of conversation; markRead over the socket is not audited either')
  @Post('read')
  @HttpCode(HttpStatus.OK)
  @InChannel('id')
  @ApiOperation({ summary: 'Mark the channel read up to a seq' })
  @ApiOkResponse({ type: ReadUpdateResponseDto })
  markRead(@Access() access: WorkspaceAccess, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: MarkReadDto): Promise<ReadUpdateEvent> {
    return this.messages.markRead(access.userId, id, body.seq);
  }
}
