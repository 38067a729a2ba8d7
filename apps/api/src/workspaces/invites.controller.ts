import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreatedInviteDto, InviteDto, InvitePreviewDto, Permission, WorkspaceDto, AuditAction } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { Public } from '../auth/public.decorator';
import { Access, InWorkspace, RequirePermission } from '../access/access.decorators';
import { WorkspaceAction } from '../access/access.rules';
import { WorkspaceAccess } from '../access/workspace-access';
import { CreatedInviteResponseDto, CreateInviteDto, InvitePreviewResponseDto, InviteResponseDto } from './dto/invite.dto';
import { WorkspaceResponseDto } from './dto/workspace.dto';
import { InvitesService } from './invites.service';

@ApiTags('invites')
@ApiBearerAuth()
@Controller()
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  @Audited(AuditAction.InviteCreate, 'invite', { targetFromResponse: true })
  @Post('workspaces/:id/invites')
  @InWorkspace('id', WorkspaceAction.Invite)
  @ApiOperation({ summary: 'Invite someone by email; the accept link is emailed and returned' })
  @ApiCreatedResponse({ type: CreatedInviteResponseDto })
  create(@Access() access: WorkspaceAccess, @Body() body: CreateInviteDto): Promise<CreatedInviteDto> {
    return this.invites.create(access, body);
  }

  @Get('workspaces/:id/invites')
  @InWorkspace('id')
  @RequirePermission(Permission.MemberInvite)
  @ApiOperation({ summary: 'Pending invites' })
  @ApiOkResponse({ type: InviteResponseDto, isArray: true })
  list(@Access() access: WorkspaceAccess): Promise<InviteDto[]> {
    return this.invites.listPending(access);
  }

  @Audited(AuditAction.InviteRevoke, 'invite', { targetParam: 'inviteId' })
  @Delete('workspaces/:id/invites/:inviteId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InWorkspace('id')
  @RequirePermission(Permission.MemberInvite)
  @ApiOperation({ summary: 'Revoke a pending invite' })
  @ApiNoContentResponse()
  revoke(@Access() access: WorkspaceAccess, @Param('inviteId', new ParseUUIDPipe()) inviteId: string): Promise<void> {
    return this.invites.revoke(access, inviteId);
  }

  @Public()
  @Get('invites/:token')
  @ApiOperation({
    summary: 'What an invite link is for: who invited which email to which workspace',
    description:
      'Public: the link itself (a 192-bit secret mailed to the invited person) is the credential, so the page it opens ' +
      'can greet someone who is not signed in yet and pre-fill their email. Accepting needs the invited email signed in.',
  })
  @ApiOkResponse({ type: InvitePreviewResponseDto })
  preview(@Param('token') token: string): Promise<InvitePreviewDto> {
    return this.invites.preview(token);
  }

  @Audited(AuditAction.InviteAccept, 'workspace', { targetFromResponse: true })
  @Post('invites/:token/accept')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Accept an invite: your email must be the one it was sent to' })
  @ApiOkResponse({ type: WorkspaceResponseDto })
  accept(@CurrentUser() user: AuthUser, @Param('token') token: string): Promise<WorkspaceDto> {
    return this.invites.accept(user.userId, token);
  }
}
