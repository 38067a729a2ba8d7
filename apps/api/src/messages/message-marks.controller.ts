import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { MessageDto, REACTIONS_PER_MESSAGE_MAX, SentMessage } from '@parley/contracts';
import { InChannel, OnMessage } from '@api/access/access.decorators';
import { ChannelAction, MessageAction } from '@api/access/access.rules';
import { NotAudited } from '@api/audit/audited.decorator';
import { AuthUser, CurrentUser } from '@api/auth/current-user';
import { ForwardMessageDto, MessageResponseDto, SentMessageResponseDto } from './dto/message.dto';
import { MessageMarksService } from './message-marks.service';

const EMOJI_PARAM = {
  name: 'emoji',
  description: 'The emoji itself, URL-encoded (👍 is %F0%9F%91%8D), or a shortcode such as +1, thumbsup or :tada: (skin tones: +1::skin-tone-3)',
};
const REACTIONS_NOT_AUDITED = 'a reaction is the flow of conversation, visible to everyone in the channel, and changes no one\'s access';
const PINS_NOT_AUDITED = 'pins are visible to everyone in the channel (with who pinned), and change no one\'s access';

@ApiTags('messages')
@ApiBearerAuth()
@Controller()
export class MessageMarksController {
  constructor(private readonly marks: MessageMarksService) {}

  @NotAudited(REACTIONS_NOT_AUDITED)
  @Put('messages/:id/reactions/:emoji')
  @OnMessage('id', MessageAction.React)
  @ApiOperation({ summary: 'React with an emoji (members of the channel, not archived); again: no change. Event reactionUpdated' })
  @ApiParam(EMOJI_PARAM)
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now (me: yours)' })
  @ApiBadRequestResponse({ description: 'Not an emoji we know (MESSAGE_EMOJI_UNKNOWN)' })
  @ApiConflictResponse({ description: `Already ${REACTIONS_PER_MESSAGE_MAX} different emoji (MESSAGE_REACTIONS_FULL), or the channel is archived` })
  react(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Param('emoji') emoji: string): Promise<MessageDto> {
    return this.marks.react(user, id, emoji, true);
  }

  @NotAudited(REACTIONS_NOT_AUDITED)
  @Delete('messages/:id/reactions/:emoji')
  @OnMessage('id', MessageAction.React)
  @ApiOperation({ summary: 'Take back your reaction (members of the channel, not archived); again: no change. Event reactionUpdated' })
  @ApiParam(EMOJI_PARAM)
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now (me: yours)' })
  @ApiBadRequestResponse({ description: 'Not an emoji we know (MESSAGE_EMOJI_UNKNOWN)' })
  unreact(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Param('emoji') emoji: string): Promise<MessageDto> {
    return this.marks.react(user, id, emoji, false);
  }

  @NotAudited(PINS_NOT_AUDITED)
  @Put('messages/:id/pin')
  @OnMessage('id', MessageAction.Pin)
  @ApiOperation({ summary: 'Pin the message to its channel (members of the channel, not archived); again: no change. Event messageUpdated' })
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now' })
  pin(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    return this.marks.pin(user, id, true);
  }

  @NotAudited(PINS_NOT_AUDITED)
  @Delete('messages/:id/pin')
  @OnMessage('id', MessageAction.Pin)
  @ApiOperation({ summary: 'Unpin the message (members of the channel, not archived); again: no change. Event messageUpdated' })
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now' })
  unpin(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    return this.marks.pin(user, id, false);
  }

  @Get('channels/:id/pins')
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({ summary: 'The pinned messages of the channel (whoever may read it), the most recently pinned first' })
  @ApiOkResponse({ type: MessageResponseDto, isArray: true })
  pins(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto[]> {
    return this.marks.pins(user, id);
  }

  @NotAudited('forwarding is a send (of a message the sender may read), and sends are not audited')
  @Post('messages/:id/forward')
  @HttpCode(HttpStatus.CREATED)
  @OnMessage('id', MessageAction.Forward)
  @ApiOperation({
    summary: 'Forward the message (whoever may read it) into a channel where you may post: a new message quoting it (forwardedFrom)',
    description: 'The quote is of the text: the files of the source are not copied (the new message has none).',
  })
  @ApiCreatedResponse({
    type: SentMessageResponseDto,
    description: 'The new message, with what only its sender is told about the mentions of its comment; a retry with the same clientMsgId returns it again',
  })
  async forward(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ForwardMessageDto): Promise<SentMessage> {
    return (await this.marks.forward(user, id, body)).message;
  }
}
