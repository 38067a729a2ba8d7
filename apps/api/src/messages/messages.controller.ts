import { Body, Controller, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { MessagePage, ReadUpdateEvent, SentMessage } from '@parley/contracts';
import { NotAudited } from '../audit/audited.decorator';
import { InChannel } from '../access/access.decorators';
import { ChannelAction } from '../access/access.rules';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { HistoryQueryDto, MarkReadDto, MessagePageDto, SendMessageDto, SentMessageResponseDto } from './dto/message.dto';
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
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({ summary: 'History in ascending seq: the newest page, or the page before/after a seq (keyset paging)' })
  @ApiOkResponse({ type: MessagePageDto })
  history(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: HistoryQueryDto): Promise<MessagePage> {
    return this.messages.history(user, id, query);
  }

  @NotAudited('sends are the flow of conversation, not a change of who may do what; sendMessage over the socket is not audited either')
  @Post('messages')
  @InChannel('id', ChannelAction.Post)
  @ApiOperation({ summary: 'Send a message (same rules and broadcast as the sendMessage socket event)' })
  @ApiCreatedResponse({ type: SentMessageResponseDto, description: 'The stored message, with what only the sender is told of its mentions; a retry with the same clientMsgId returns it again' })
  async send(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: SendMessageDto): Promise<SentMessage> {
    return (await this.messages.send(user.userId, id, body)).message;
  }

  @NotAudited('a read position is the flow of conversation; markRead over the socket is not audited either')
  @Post('read')
  @HttpCode(HttpStatus.OK)
  @InChannel('id', ChannelAction.MarkRead)
  @ApiOperation({ summary: 'Mark the channel read up to a seq' })
  @ApiOkResponse({ type: ReadUpdateResponseDto })
  markRead(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: MarkReadDto): Promise<ReadUpdateEvent> {
    return this.messages.markRead(user, id, body.seq);
  }
}
