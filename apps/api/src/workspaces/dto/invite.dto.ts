import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatedInviteDto, CreateInviteRequest, InviteDto, InvitePreviewDto, RoleSummary } from '@parley/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsOptional, IsUUID, MaxLength } from 'class-validator';
import { RoleSummaryDto } from './workspace.dto';
import { normaliseEmail } from '@api/common/transforms';

export class CreateInviteDto implements CreateInviteRequest {
  @ApiProperty({ example: 'bruno@example.com' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the built-in Member role' })
  @IsOptional()
  @IsUUID()
  roleId?: string;
}

export class InviteResponseDto implements InviteDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) workspaceId!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ type: RoleSummaryDto }) role!: RoleSummary;
  @ApiProperty({ format: 'uuid' }) invitedBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}

export class CreatedInviteResponseDto extends InviteResponseDto implements CreatedInviteDto {
  @ApiProperty({ description: 'The link to send; it is also emailed' }) acceptUrl!: string;
  @ApiProperty({ description: 'The secret in the link; shown only now' }) token!: string;
}

export class InvitePreviewResponseDto implements InvitePreviewDto {
  @ApiProperty() workspaceName!: string;
  @ApiProperty() invitedByName!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
}
