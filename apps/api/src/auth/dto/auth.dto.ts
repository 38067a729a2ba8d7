import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CodeRequest,
  CodeSentResponse,
  DISPLAY_NAME_MAX_LENGTH,
  REFRESH_COOKIE_NAME,
  RefreshRequest,
  RefreshTokenTransport,
  RegisterRequest,
  SessionDto,
  SIGN_IN_CODE_LENGTH,
  UserDto,
  VerifyRequest,
} from '@parley/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { UserResponseDto } from '@api/users/dto/user.dto';
import { trim, normaliseEmail } from '@api/common/transforms';

export class CodeRequestDto implements CodeRequest {
  @ApiProperty({ example: 'ana@example.com' })
  @Transform(normaliseEmail)
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(320)
  email!: string;
}

/** `login` takes exactly what the code request takes. */
export class LoginDto extends CodeRequestDto {}

export class RegisterDto extends CodeRequestDto implements RegisterRequest {
  @ApiProperty({ example: 'Ana Lima', maxLength: DISPLAY_NAME_MAX_LENGTH, description: 'The name of the account, if this email has none yet' })
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  displayName!: string;
}

export class VerifyDto extends CodeRequestDto implements VerifyRequest {
  @ApiProperty({ example: '123456', description: `The ${SIGN_IN_CODE_LENGTH}-digit code from the email` })
  @Transform(trim)
  @IsString()
  @Matches(new RegExp(`^\\d{${SIGN_IN_CODE_LENGTH}}$`), { message: `code must be ${SIGN_IN_CODE_LENGTH} digits` })
  code!: string;

  @ApiPropertyOptional({
    example: 'Ana Lima',
    maxLength: DISPLAY_NAME_MAX_LENGTH,
    description:
      'The name of the new account, the first time this email signs in (unless given to register). ' +
      'Without it that first verify answers 400 AUTH_DISPLAY_NAME_REQUIRED and the code stays valid. Ignored for an existing account.',
  })
  @IsOptional()
  @Transform(trim)
  @IsString()
  @IsNotEmpty()
  @MaxLength(DISPLAY_NAME_MAX_LENGTH)
  displayName?: string;

  @ApiPropertyOptional({
    enum: ['body', 'cookie'],
    default: 'body',
    description: `cookie (the web app): the refresh token is set as the HttpOnly ${REFRESH_COOKIE_NAME} cookie and left out of the body`,
  })
  @IsOptional()
  @IsIn(['body', 'cookie'])
  refreshTokenIn?: RefreshTokenTransport;
}

export class RefreshDto implements RefreshRequest {
  @ApiPropertyOptional({
    description: `The refresh token. Without it the ${REFRESH_COOKIE_NAME} cookie is used, and the new refresh token is set there instead of in the body`,
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  refreshToken?: string;
}

export class CodeSentResponseDto implements CodeSentResponse {
  @ApiProperty({ example: 'We sent a sign-in code to that address.' })
  message!: string;
}

export class TokensResponseDto {
  @ApiProperty({ description: 'Short-lived JWT for the Authorization: Bearer header and the Socket.IO handshake' })
  accessToken!: string;
  @ApiPropertyOptional({
    description: `Single-use; exchange it at /api/auth/refresh for a new pair. Absent when it travels in the ${REFRESH_COOKIE_NAME} cookie`,
  })
  refreshToken?: string;
  @ApiProperty({ example: 900 })
  expiresIn!: number;
}

export class AuthResponseDto extends TokensResponseDto {
  @ApiProperty({ type: UserResponseDto })
  user!: UserDto;
}

export class SessionResponseDto implements SessionDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: String, nullable: true }) userAgent!: string | null;
  @ApiProperty({ type: String, nullable: true }) ip!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) lastUsedAt!: string;
  @ApiProperty({ description: 'The session making this request' }) current!: boolean;
}
