import { ApiProperty } from '@nestjs/swagger';
import {
  AuthResponse,
  CodeSentResponse,
  DISPLAY_NAME_MAX_LENGTH,
  LoginRequest,
  RefreshRequest,
  RegisterRequest,
  SessionDto,
  SIGN_IN_CODE_LENGTH,
  VerifyRequest,
} from '@parley/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';
import { UserResponseDto } from '../../users/dto/user.dto';
import { trim, normaliseEmail } from '../../common/transforms';

export class LoginDto implements LoginRequest {
  @ApiProperty({ example: 'ana@example.com' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;
}

export class RegisterDto extends LoginDto implements RegisterRequest {
  @ApiProperty({ example: 'Ana Lima', maxLength: DISPLAY_NAME_MAX_LENGTH })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  displayName!: string;
}

export class VerifyDto extends LoginDto implements VerifyRequest {
  @ApiProperty({ example: '123456', description: `The ${SIGN_IN_CODE_LENGTH}-digit code from the email` })
  @Transform(trim)
  @IsString()
  @Matches(new RegExp(`^\\d{${SIGN_IN_CODE_LENGTH}}$`), { message: `code must be ${SIGN_IN_CODE_LENGTH} digits` })
  code!: string;
}

export class RefreshDto implements RefreshRequest {
  @ApiProperty()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken!: string;
}

export class CodeSentResponseDto implements CodeSentResponse {
  @ApiProperty({ example: 'If that address can sign in, a code is on its way.' })
  message!: string;
}

export class AuthResponseDto implements AuthResponse {
  @ApiProperty({ description: 'Short-lived JWT for the Authorization: Bearer header and the Socket.IO handshake' })
  accessToken!: string;
  @ApiProperty({ description: 'Single-use; exchange it at /api/auth/refresh for a new pair' })
  refreshToken!: string;
  @ApiProperty({ example: 900 })
  expiresIn!: number;
  @ApiProperty({ type: UserResponseDto })
  user!: UserResponseDto;
}

export class TokensResponseDto {
  @ApiProperty() accessToken!: string;
  @ApiProperty() refreshToken!: string;
  @ApiProperty({ example: 900 }) expiresIn!: number;
}

export class SessionResponseDto implements SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ description: 'The session making this request' }) current!: boolean;
}
