import { ApiProperty } from '@nestjs/swagger';
import { UserDto } from '@parley/contracts';
import { User } from '../entities/user.entity';

export class UserResponseDto implements UserDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'ana@example.com' }) email!: string;
  @ApiProperty({ example: 'Ana Lima' }) displayName!: string;
  @ApiProperty({ type: String, nullable: true }) avatarUrl!: string | null;
  @ApiProperty({ type: String, nullable: true }) statusText!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Whether others see how far you have read (read receipts); off, you see nobody\'s either' }) readReceipts!: boolean;
}

export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    avatarUrl: user.avatarUrl,
    statusText: user.statusText,
    createdAt: user.createdAt.toISOString(),
    readReceipts: user.readReceipts,
  };
}
