import { ApiProperty } from '@nestjs/swagger';
import { UserSearchResultDto } from '@parley/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';

export class SearchUsersDto {
  @ApiProperty({ minLength: 1, maxLength: 100, description: 'Start of a name or email' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  q!: string;
}

export class UserSearchResultResponseDto implements UserSearchResultDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ type: String, nullable: true }) avatarUrl!: string | null;
}
