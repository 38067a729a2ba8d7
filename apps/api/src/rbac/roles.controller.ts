import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ALL_PERMISSIONS, Permission, PERMISSION_DESCRIPTIONS, PermissionDto, RoleDto, AuditAction } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { Access, InWorkspace, RequirePermission } from '../access/access.decorators';
import { WorkspaceAction } from '../access/access.rules';
import { CreateRoleDto, PermissionResponseDto, RoleResponseDto, UpdateRoleDto } from './dto/role.dto';
import { RolesService } from './roles.service';
import { WorkspaceAccess } from '../access/workspace-access';

@ApiTags('roles')
@ApiBearerAuth()
@Controller()
export class RolesController {
  constructor(private readonly roles: RolesService) {}

  @Get('permissions')
  @ApiOperation({ summary: 'The permission catalogue roles are made of' })
  @ApiOkResponse({ type: PermissionResponseDto, isArray: true })
  permissions(): PermissionDto[] {
    return ALL_PERMISSIONS.map((name) => ({ name, description: PERMISSION_DESCRIPTIONS[name] }));
  }

  @Get('workspaces/:id/roles')
  @InWorkspace('id')
  @ApiOperation({ summary: 'The roles of a workspace, built-in first' })
  @ApiOkResponse({ type: RoleResponseDto, isArray: true })
  list(@Access() access: WorkspaceAccess): Promise<RoleDto[]> {
    return this.roles.list(access);
  }

  @Audited(AuditAction.RoleCreate, 'role', { targetFromResponse: true })
  @Post('workspaces/:id/roles')
  @InWorkspace('id', WorkspaceAction.CreateRole)
  @ApiOperation({ summary: 'Create a custom role' })
  @ApiCreatedResponse({ type: RoleResponseDto })
  create(@Access() access: WorkspaceAccess, @Body() body: CreateRoleDto): Promise<RoleDto> {
    return this.roles.create(access, body);
  }

  @Audited(AuditAction.RoleUpdate, 'role', { targetParam: 'roleId' })
  @Patch('workspaces/:id/roles/:roleId')
  @InWorkspace('id', WorkspaceAction.EditRole)
  @ApiOperation({ summary: 'Rename a custom role or change its permissions' })
  @ApiOkResponse({ type: RoleResponseDto })
  update(
    @Access() access: WorkspaceAccess,
    @Param('roleId', new ParseUUIDPipe()) roleId: string,
    @Body() body: UpdateRoleDto,
  ): Promise<RoleDto> {
    return this.roles.update(access, roleId, body);
  }

  @Audited(AuditAction.RoleDelete, 'role', { targetParam: 'roleId' })
  @Delete('workspaces/:id/roles/:roleId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @InWorkspace('id')
  @RequirePermission(Permission.RoleManage)
  @ApiOperation({ summary: 'Delete a custom role that nobody has' })
  @ApiNoContentResponse()
  remove(@Access() access: WorkspaceAccess, @Param('roleId', new ParseUUIDPipe()) roleId: string): Promise<void> {
    return this.roles.remove(access, roleId);
  }
}
