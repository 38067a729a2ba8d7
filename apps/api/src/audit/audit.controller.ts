import { Controller, Get, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import { AuditEventPage, AuditVerifyResult, Permission, AuditAction } from '@parley/contracts';
import { Access, InWorkspace, RequirePermission } from '../access/access.decorators';
import { WorkspaceAccess } from '../access/workspace-access';
import { AuditExportService } from './audit-export.service';
import { AuditQueryService } from './audit-query.service';
import { AuditService } from './audit.service';
import { Audited } from './audited.decorator';
import { AuditEventPageDto, AuditVerifyResultDto } from './dto/audit-event.dto';
import { ExportAuditEventsQueryDto, ListAuditEventsQueryDto, toAuditFilters } from './dto/audit-query.dto';

const DEFAULT_PAGE_SIZE = 50;

@ApiTags('audit')
@ApiBearerAuth()
@ApiParam({ name: 'id', format: 'uuid', description: 'The workspace' })
@Controller('workspaces/:id/audit-events')
export class AuditController {
  constructor(
    private readonly audit: AuditService,
    private readonly query: AuditQueryService,
    private readonly exports: AuditExportService,
  ) {}

  @Get()
  @InWorkspace('id')
  @RequirePermission(Permission.AuditRead)
  @ApiOperation({ summary: "The workspace's audit log, newest first, filtered and paged by cursor" })
  @ApiOkResponse({ type: AuditEventPageDto })
  list(@Access() access: WorkspaceAccess, @Query() query: ListAuditEventsQueryDto): Promise<AuditEventPage> {
    return this.query.list(
      access.workspaceId,
      toAuditFilters(query),
      query.limit ?? DEFAULT_PAGE_SIZE,
      query.cursor ? Number(query.cursor) : undefined,
    );
  }

  @Get('verify')
  @InWorkspace('id')
  @RequirePermission(Permission.AuditRead)
  @ApiOperation({ summary: "Walk the workspace's hash chain and report the first event that was altered or removed" })
  @ApiOkResponse({ type: AuditVerifyResultDto })
  verify(@Access() access: WorkspaceAccess): Promise<AuditVerifyResult> {
    return this.audit.verify(access.workspaceId);
  }

  @Get('export')
  @Audited(AuditAction.AuditExport, 'workspace')
  @InWorkspace('id')
  @RequirePermission(Permission.AuditExport)
  @ApiOperation({
    summary: "Download the workspace's audit log (oldest first) as CSV or JSON Lines; the export is itself audited",
  })
  @ApiProduces('text/csv', 'application/x-ndjson')
  @ApiOkResponse({ description: 'The events, streamed as an attachment', schema: { type: 'string', format: 'binary' } })
  export(@Access() access: WorkspaceAccess, @Query() query: ExportAuditEventsQueryDto): StreamableFile {
    return this.exports.stream(access.workspaceId, query.format, toAuditFilters(query));
  }
}
