import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { AuthResponse, AuthTokens, CodeSentResponse, SessionDto } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { AuthService } from './auth.service';
import { AuthUser, Client, ClientInfo, CurrentUser } from './current-user';
import {
  AuthResponseDto,
  CodeSentResponseDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  SessionResponseDto,
  TokensResponseDto,
  VerifyDto,
} from './dto/auth.dto';
import { Public } from './public.decorator';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
  ) {}

  @Public()
  @Post('register')
  @Audited('auth.code.request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Create an account: emails a sign-in code (or, for a known email, a sign-in code)' })
  @ApiAcceptedResponse({ type: CodeSentResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many code requests for this email or address' })
  register(@Body() body: RegisterDto, @Client() client: ClientInfo): Promise<CodeSentResponse> {
    return this.auth.register(body.email, body.displayName, client);
  }

  @Public()
  @Post('login')
  @Audited('auth.code.request')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Email a sign-in code; answers the same whether or not the email has an account' })
  @ApiAcceptedResponse({ type: CodeSentResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many code requests for this email or address' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<CodeSentResponse> {
    return this.auth.login(body.email, client);
  }

  @Public()
  @Post('verify')
  @Audited('auth.sign_in', 'user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange an emailed code for an access token, a refresh token and the user' })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiUnauthorizedResponse({ description: 'AUTH_CODE_INVALID, AUTH_CODE_EXPIRED or AUTH_CODE_ATTEMPTS_EXCEEDED' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this email or address' })
  verify(@Body() body: VerifyDto, @Client() client: ClientInfo): Promise<AuthResponse> {
    return this.auth.verify(body.email, body.code, client);
  }

  @Public()
  @Post('refresh')
  @Audited('auth.refresh')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Rotate the token pair; reusing a refresh token ends its session' })
  @ApiOkResponse({ type: TokensResponseDto })
  @ApiUnauthorizedResponse({ description: 'AUTH_REFRESH_INVALID, AUTH_REFRESH_REUSED or AUTH_SESSION_REVOKED' })
  refresh(@Body() body: RefreshDto, @Client() client: ClientInfo): Promise<AuthTokens> {
    return this.sessions.refresh(body.refreshToken, client);
  }

  @Post('logout')
  @Audited('auth.sign_out')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the current session' })
  @ApiNoContentResponse()
  logout(@CurrentUser() auth: AuthUser): Promise<void> {
    return this.sessions.revoke(auth.sessionId);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your signed-in sessions (devices)' })
  @ApiOkResponse({ type: SessionResponseDto, isArray: true })
  listSessions(@CurrentUser() auth: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(auth.userId, auth.sessionId);
  }

  @Delete('sessions/:id')
  @Audited('auth.session.revoke', 'session')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End one of your sessions' })
  @ApiNoContentResponse()
  revokeSession(@CurrentUser() auth: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.sessions.revokeOwn(auth.userId, id);
  }
}
