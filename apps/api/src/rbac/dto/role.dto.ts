import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ALL_PERMISSIONS,
  BuiltInRole,
  CreateRoleRequest,
  Permission,
  PermissionDto,
  RoleDto,
  UpdateRoleRequest,
} from '@parley/contracts';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { trim } from '@api/common/transforms';
import { Omittable } from '@api/common/validation';

export class CreateRoleDto implements CreateRoleRequest {
  @ApiProperty({ example: 'Moderator', maxLength: 40 })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  name!: string;

  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true })
  @IsArray()
  @ArrayUnique()
  @ArrayMaxSize(ALL_PERMISSIONS.length)
  @IsIn(ALL_PERMISSIONS, { each: true, message: 'each permission must be one of GET /api/permissions' })
  permissions!: Permission[];
}

export class UpdateRoleDto implements UpdateRoleRequest {
  @ApiPropertyOptional({ maxLength: 40 })
  @Omittable()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(40)
  name?: string;

  @ApiPropertyOptional({ enum: ALL_PERMISSIONS, isArray: true })
  @Omittable()
  @IsArray()
  @ArrayUnique()
  @IsIn(ALL_PERMISSIONS, { each: true, message: 'each permission must be one of GET /api/permissions' })
  permissions?: Permission[];
}

export class RoleResponseDto implements RoleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workspaceId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ALL_PERMISSIONS, isArray: true }) permissions!: Permission[];
  @ApiProperty({ type: String, nullable: true, enum: ['owner', 'admin', 'member', 'guest'] }) builtIn!: BuiltInRole | null;
  @ApiProperty() memberCount!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PermissionResponseDto implements PermissionDto {
  @ApiProperty({ enum: ALL_PERMISSIONS }) name!: Permission;
  @ApiProperty() description!: string;
}
