import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditAction, MessageDto, MessageVersionDto } from '@parley/contracts';
import { OnMessage } from '@api/access/access.decorators';
import { MessageAction } from '@api/access/access.rules';
import { Audited } from '@api/audit/audited.decorator';
import { AuthUser, CurrentUser } from '@api/auth/current-user';
import { EditMessageDto, MessageResponseDto, MessageVersionResponseDto } from './dto/message.dto';
import { MessageChangesService } from './message-changes.service';

@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages/:id')
export class MessageChangesController {
  constructor(private readonly changes: MessageChangesService) {}

  @Get()
  @OnMessage('id', MessageAction.Read)
  @ApiOperation({ summary: 'One message as the history shows it (a deleted one with text "" and deletedAt), for a permalink or a thread root not loaded' })
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now (me: yours)' })
  one(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageDto> {
    return this.changes.one(user, id);
  }

  @Audited(AuditAction.MessageEdit, 'message')
  @Patch()
  @OnMessage('id', MessageAction.Edit)
  @ApiOperation({ summary: 'Edit your message: the earlier text is kept as a version; event messageUpdated' })
  @ApiOkResponse({ type: MessageResponseDto, description: 'The message as it is now' })
  edit(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: EditMessageDto): Promise<MessageDto> {
    return this.changes.edit(user, id, body.text);
  }

  @Audited(AuditAction.MessageDelete, 'message')
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @OnMessage('id', MessageAction.Delete)
  @ApiOperation({ summary: 'Delete a message (yours, or anyone\'s with message.delete.any): its text leaves every read path; event messageDeleted. Again: 404' })
  @ApiNoContentResponse({ description: 'Deleted' })
  delete(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.changes.delete(user, id);
  }

  @Get('versions')
  @OnMessage('id', MessageAction.ReadVersions)
  @ApiOperation({ summary: 'The earlier texts of an edited message, oldest first (the sender, audit.read or ediscovery.export)' })
  @ApiOkResponse({ type: MessageVersionResponseDto, isArray: true })
  versions(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<MessageVersionDto[]> {
    return this.changes.versions(user, id);
  }
}
