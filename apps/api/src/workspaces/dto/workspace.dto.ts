import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLE_NAMES,
  BuiltInRole,
  CreateWorkspaceRequest,
  MemberDto,
  MemberState,
  Permission,
  RoleSummary,
  UpdateMemberRequest,
  UpdateWorkspaceRequest,
  WorkspaceDto,
  WorkspaceSettings,
} from '@parley/contracts';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Max, MaxLength, Min, ValidateIf, ValidateNested } from 'class-validator';
import { trim } from '@api/common/transforms';
import { Omittable } from '@api/common/validation';

export class WorkspaceSettingsDto implements WorkspaceSettings {
  @ApiPropertyOptional({ minimum: 1, maximum: 90, description: 'Days a pending invite stays valid (default 7)' })
  @Omittable()
  @IsInt()
  @Min(1)
  @Max(90)
  inviteExpiryDays?: number;

  @ApiPropertyOptional({ description: 'Read receipts in this workspace (default true); false: nobody sees anybody\'s' })
  @Omittable()
  @IsBoolean()
  readReceipts?: boolean;
}

export class CreateWorkspaceDto implements CreateWorkspaceRequest {
  @ApiProperty({ example: 'Acme', maxLength: 80 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  name!: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string;
}

export class UpdateWorkspaceDto implements UpdateWorkspaceRequest {
  @ApiPropertyOptional({ maxLength: 80 })
  @Omittable()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  name?: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 500 })
  @ValidateIf((_, value) => value !== null && value !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ApiPropertyOptional({ type: WorkspaceSettingsDto })
  @Omittable()
  @IsObject()
  @ValidateNested()
  @Type(() => WorkspaceSettingsDto)
  settings?: WorkspaceSettingsDto;
}

export class RoleSummaryDto implements RoleSummary {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'Member' }) name!: string;
  @ApiProperty({ enum: Object.keys(BUILT_IN_ROLE_NAMES), nullable: true, type: String }) builtIn!: BuiltInRole | null;
}

export class WorkspaceResponseDto implements WorkspaceDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: String, nullable: true }) description!: string | null;
  @ApiProperty({ type: WorkspaceSettingsDto }) settings!: WorkspaceSettings;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: RoleSummaryDto, description: "The caller's role" }) role!: RoleSummary;
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true, description: "What the caller's role allows" })
  permissions!: Permission[];
}

export class UpdateMemberDto implements UpdateMemberRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roleId!: string;
}

export class MemberResponseDto implements MemberDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) avatarUrl!: string | null;
  @ApiProperty({ type: RoleSummaryDto }) role!: RoleSummary;
  @ApiProperty({ enum: ['active', 'deactivated'] }) state!: MemberState;
  @ApiProperty({ format: 'date-time' }) joinedAt!: string;
}
