import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { PresenceDto, PresenceStatus } from '@parley/contracts';
import { Access, InWorkspace } from '../access/access.decorators';
import { WorkspaceAction } from '../access/access.rules';
import { WorkspaceAccess } from '../access/workspace-access';
import { PresenceService } from './presence.service';

class PresenceResponseDto implements PresenceDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ enum: ['online', 'away', 'dnd', 'offline'] }) status!: PresenceStatus;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastSeenAt!: string | null;
}

@ApiTags('presence')
@ApiBearerAuth()
@Controller('workspaces/:id/presence')
export class PresenceController {
  constructor(private readonly presence: PresenceService) {}

  @Get()
  @InWorkspace('id', WorkspaceAction.SeePeople)
  @ApiOperation({ summary: "Everyone's current status (invisible people show offline); a guest sees only people who share a channel with them" })
  @ApiOkResponse({ type: PresenceResponseDto, isArray: true })
  list(@Access() access: WorkspaceAccess): Promise<PresenceDto[]> {
    return this.presence.forWorkspace(access);
  }
}
