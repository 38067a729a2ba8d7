import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ChannelDto, ChannelMemberDto, AuditAction } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { Access, InChannel, InWorkspace } from '../access/access.decorators';
import { ChannelAction, WorkspaceAction } from '../access/access.rules';
import { WorkspaceAccess } from '../access/workspace-access';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { ChannelsService } from './channels.service';
import { DmsService } from './dms.service';
import { AddChannelMembersDto, ChannelMemberResponseDto, ChannelResponseDto, CreateChannelDto, OpenDmDto, UpdateChannelDto } from './dto/channel.dto';

@ApiTags('channels')
@ApiBearerAuth()
@Controller()
export class ChannelsController {
  constructor(
    private readonly channels: ChannelsService,
    private readonly dms: DmsService,
  ) {}

  @Audited(AuditAction.ChannelCreate, 'channel', { targetFromResponse: true })
  @Post('workspaces/:id/channels')
  @InWorkspace('id', WorkspaceAction.CreateChannel)
  @ApiOperation({ summary: 'Create a channel (needs channel.create.public or channel.create.private)' })
  @ApiCreatedResponse({ type: ChannelResponseDto })
  create(@Access() access: WorkspaceAccess, @Body() body: CreateChannelDto): Promise<ChannelDto> {
    return this.channels.create(access, body);
  }

  @Get('workspaces/:id/channels')
  @InWorkspace('id', WorkspaceAction.ListChannels)
  @ApiOperation({ summary: 'Your channels and DMs, plus the public channels you may browse (member: false)' })
  @ApiOkResponse({ type: ChannelResponseDto, isArray: true })
  list(@Access() access: WorkspaceAccess): Promise<ChannelDto[]> {
    return this.channels.list(access);
  }

  @Audited(AuditAction.DmOpen, 'channel', { targetFromResponse: true })
  @Post('workspaces/:id/dms')
  @InWorkspace('id', WorkspaceAction.OpenDm)
  @ApiOperation({ summary: 'Get or create the DM (2 people) or group DM (3–8) for exactly these people and you' })
  @ApiOkResponse({ type: ChannelResponseDto })
  @HttpCode(HttpStatus.OK)
  openDm(@Access() access: WorkspaceAccess, @Body() body: OpenDmDto): Promise<ChannelDto> {
    return this.dms.open(access, body.userIds);
  }

  @Get('channels/:id')
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({ summary: 'A channel you are in, or a public one you may browse' })
  @ApiOkResponse({ type: ChannelResponseDto })
  get(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelDto> {
    return this.channels.get(user, id);
  }

  @Audited(AuditAction.ChannelUpdate, 'channel')
  @Patch('channels/:id')
  @InChannel('id', ChannelAction.Manage)
  @ApiOperation({ summary: 'Rename a channel or change its topic (creator, or channel.manage)' })
  @ApiOkResponse({ type: ChannelResponseDto })
  update(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateChannelDto): Promise<ChannelDto> {
    return this.channels.update(user, id, body);
  }

  @Audited(AuditAction.ChannelArchive, 'channel')
  @Post('channels/:id/archive')
  @HttpCode(HttpStatus.OK)
  @InChannel('id', ChannelAction.Archive)
  @ApiOperation({ summary: 'Archive: the channel becomes read-only (creator, or channel.archive)' })
  @ApiOkResponse({ type: ChannelResponseDto })
  archive(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelDto> {
    return this.channels.setArchived(user, id, true);
  }

  @Audited(AuditAction.ChannelUnarchive, 'channel')
  @Post('channels/:id/unarchive')
  @HttpCode(HttpStatus.OK)
  @InChannel('id', ChannelAction.Archive)
  @ApiOperation({ summary: 'Unarchive (creator, or channel.archive)' })
  @ApiOkResponse({ type: ChannelResponseDto })
  unarchive(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelDto> {
    return this.channels.setArchived(user, id, false);
  }

  @Audited(AuditAction.ChannelJoin, 'channel')
  @Post('channels/:id/join')
  @HttpCode(HttpStatus.OK)
  @InChannel('id', ChannelAction.Join)
  @ApiOperation({ summary: 'Join a public channel' })
  @ApiOkResponse({ type: ChannelResponseDto })
  join(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelDto> {
    return this.channels.join(user, id);
  }

  @Audited(AuditAction.ChannelLeave, 'channel')
  @Post('channels/:id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InChannel('id', ChannelAction.Leave)
  @ApiOperation({ summary: 'Leave a channel' })
  @ApiNoContentResponse()
  leave(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.channels.leave(user, id);
  }

  @Get('channels/:id/members')
  @InChannel('id', ChannelAction.Read)
  @ApiOperation({ summary: 'The members of a channel' })
  @ApiOkResponse({ type: ChannelMemberResponseDto, isArray: true })
  members(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ChannelMemberDto[]> {
    return this.channels.members(user, id);
  }

  @Audited(AuditAction.ChannelMemberAdd, 'channel')
  @Post('channels/:id/members')
  @HttpCode(HttpStatus.OK)
  @InChannel('id', ChannelAction.AddMembers)
  @ApiOperation({ summary: 'Add workspace members to a channel (private: creator or channel.manage)' })
  @ApiOkResponse({ type: ChannelResponseDto })
  addMembers(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AddChannelMembersDto,
  ): Promise<ChannelDto> {
    return this.channels.addMembers(user, id, body.userIds);
  }

  @Audited(AuditAction.ChannelMemberRemove, 'user', { targetParam: 'userId' })
  @Delete('channels/:id/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InChannel('id', ChannelAction.RemoveMember)
  @ApiOperation({ summary: 'Remove someone from a channel (creator or channel.manage)' })
  @ApiNoContentResponse()
  removeMember(
    @CurrentUser() user: AuthUser,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Param('userId', new ParseUUIDPipe()) userId: string,
  ): Promise<void> {
    return this.channels.removeMember(user, id, userId);
  }
}
