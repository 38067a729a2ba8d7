import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MemberDto, Permission, WorkspaceDto, AuditAction } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { Access, InWorkspace, RequirePermission } from '../access/access.decorators';
import { WorkspaceAction } from '../access/access.rules';
import { WorkspaceAccess } from '../access/workspace-access';
import { CreateWorkspaceDto, MemberResponseDto, UpdateMemberDto, UpdateWorkspaceDto, WorkspaceResponseDto } from './dto/workspace.dto';
import { MembersService } from './members.service';
import { WorkspacesService } from './workspaces.service';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('workspaces')
export class WorkspacesController {
  constructor(
    private readonly workspaces: WorkspacesService,
    private readonly members: MembersService,
  ) {}

  @Audited(AuditAction.WorkspaceCreate, 'workspace', { targetFromResponse: true })
  @Post()
  @ApiOperation({ summary: 'Create a workspace; you become its Owner' })
  @ApiCreatedResponse({ type: WorkspaceResponseDto })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWorkspaceDto): Promise<WorkspaceDto> {
    return this.workspaces.create(user.userId, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your workspaces, with your role in each' })
  @ApiOkResponse({ type: WorkspaceResponseDto, isArray: true })
  list(@CurrentUser() user: AuthUser): Promise<WorkspaceDto[]> {
    return this.workspaces.listForUser(user.userId);
  }

  @Get(':id')
  @InWorkspace('id')
  @ApiOperation({ summary: 'One of your workspaces' })
  @ApiOkResponse({ type: WorkspaceResponseDto })
  get(@Access() access: WorkspaceAccess): Promise<WorkspaceDto> {
    return this.workspaces.get(access);
  }

  @Audited(AuditAction.WorkspaceUpdate, 'workspace')
  @Patch(':id')
  @InWorkspace('id')
  @RequirePermission(Permission.WorkspaceManage)
  @ApiOperation({ summary: 'Rename the workspace or change its description and settings' })
  @ApiOkResponse({ type: WorkspaceResponseDto })
  update(@Access() access: WorkspaceAccess, @Body() body: UpdateWorkspaceDto): Promise<WorkspaceDto> {
    return this.workspaces.update(access, body);
  }

  @Audited(AuditAction.WorkspaceDelete, 'workspace')
  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InWorkspace('id')
  @RequirePermission(Permission.WorkspaceDelete)
  @ApiOperation({ summary: 'Delete the workspace (Owner only)' })
  @ApiNoContentResponse()
  remove(@Access() access: WorkspaceAccess): Promise<void> {
    return this.workspaces.remove(access);
  }

  @Get(':id/members')
  @InWorkspace('id', WorkspaceAction.SeePeople)
  @ApiOperation({ summary: 'The members, with role and state (a guest sees only people sharing a channel)' })
  @ApiOkResponse({ type: MemberResponseDto, isArray: true })
  listMembers(@Access() access: WorkspaceAccess): Promise<MemberDto[]> {
    return this.members.list(access);
  }

  @Audited(AuditAction.MemberRoleChange, 'user', { targetParam: 'userId' })
  @Patch(':id/members/:userId')
  @InWorkspace('id', WorkspaceAction.ChangeMemberRole)
  @ApiOperation({ summary: "Change a member's role" })
  @ApiOkResponse({ type: MemberResponseDto })
  changeRole(
    @Access() access: WorkspaceAccess,
    @Param('userId', new ParseUUIDPipe()) userId: string,
    @Body() body: UpdateMemberDto,
  ): Promise<MemberDto> {
    return this.members.changeRole(access, userId, body.roleId);
  }

  @Audited(AuditAction.MemberRemove, 'user', { targetParam: 'userId' })
  @Delete(':id/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InWorkspace('id', WorkspaceAction.RemoveMember)
  @ApiOperation({ summary: 'Remove a member (needs member.remove), or leave the workspace (your own id)' })
  @ApiNoContentResponse()
  removeMember(@Access() access: WorkspaceAccess, @Param('userId', new ParseUUIDPipe()) userId: string): Promise<void> {
    return this.members.remove(access, userId);
  }

  @Audited(AuditAction.MemberDeactivate, 'user', { targetParam: 'userId' })
  @Post(':id/members/:userId/deactivate')
  @HttpCode(HttpStatus.OK)
  @InWorkspace('id', WorkspaceAction.SetMemberActive)
  @ApiOperation({ summary: 'Deactivate a member: they keep their history but can see and do nothing' })
  @ApiOkResponse({ type: MemberResponseDto })
  deactivate(@Access() access: WorkspaceAccess, @Param('userId', new ParseUUIDPipe()) userId: string): Promise<MemberDto> {
    return this.members.setActive(access, userId, false);
  }

  @Audited(AuditAction.MemberReactivate, 'user', { targetParam: 'userId' })
  @Post(':id/members/:userId/reactivate')
  @HttpCode(HttpStatus.OK)
  @InWorkspace('id', WorkspaceAction.SetMemberActive)
  @ApiOperation({ summary: 'Reactivate a deactivated member' })
  @ApiOkResponse({ type: MemberResponseDto })
  reactivate(@Access() access: WorkspaceAccess, @Param('userId', new ParseUUIDPipe()) userId: string): Promise<MemberDto> {
    return this.members.setActive(access, userId, true);
  }
}
