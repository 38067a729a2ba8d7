import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  AuthResponse,
  AuthTokens,
  CodeSentResponse,
  CookieAuthResponse,
  CookieAuthTokens,
  REFRESH_COOKIE_NAME,
  SessionDto, AuditAction } from '@parley/contracts';
import type { Request, Response } from 'express';
import { Audited } from '../audit/audited.decorator';
import { AuthError, AuthException } from '../common/domain-errors';
import { AuthService } from './auth.service';
import { AuthUser, Client, ClientInfo, CurrentUser } from './current-user';
import {
  AuthResponseDto,
  CodeRequestDto,
  CodeSentResponseDto,
  LoginDto,
  RefreshDto,
  RegisterDto,
  SessionResponseDto,
  TokensResponseDto,
  VerifyDto,
} from './dto/auth.dto';
import { Public } from './public.decorator';
import { RefreshCookie } from './refresh-cookie';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: SessionsService,
    private readonly cookie: RefreshCookie,
  ) {}

  @Public()
  @Post('code')
  @Audited(AuditAction.AuthCodeRequest)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Continue with email: send a sign-in code',
    description:
      'Every email gets a code, whether or not it has an account, with the same answer in the same time. ' +
      'POST /api/auth/verify with the code then signs in, or creates the account the first time.',
  })
  @ApiAcceptedResponse({ type: CodeSentResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many code requests for this email and address, this address, or this email' })
  requestCode(@Body() body: CodeRequestDto, @Client() client: ClientInfo): Promise<CodeSentResponse> {
    return this.auth.requestCode(body.email, null, client);
  }

  @Public()
  @Post('register')
  @Audited(AuditAction.AuthCodeRequest)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Alias of POST /api/auth/code that also names the account',
    description: 'Sends a sign-in code exactly like /api/auth/code. If the email has no account yet, the one verify creates is called displayName.',
  })
  @ApiAcceptedResponse({ type: CodeSentResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many code requests for this email and address, this address, or this email' })
  register(@Body() body: RegisterDto, @Client() client: ClientInfo): Promise<CodeSentResponse> {
    return this.auth.requestCode(body.email, body.displayName, client);
  }

  @Public()
  @Post('login')
  @Audited(AuditAction.AuthCodeRequest)
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Alias of POST /api/auth/code', description: 'Sends a sign-in code to any email, exactly like /api/auth/code.' })
  @ApiAcceptedResponse({ type: CodeSentResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Too many code requests for this email and address, this address, or this email' })
  login(@Body() body: LoginDto, @Client() client: ClientInfo): Promise<CodeSentResponse> {
    return this.auth.requestCode(body.email, null, client);
  }

  @Public()
  @Post('verify')
  @Audited(AuditAction.AuthSignIn, 'user')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Exchange an emailed code for an access token, a refresh token and the user',
    description: 'Signs in, or creates the account the first time the email signs in (which needs a displayName here or at register).',
  })
  @ApiOkResponse({ type: AuthResponseDto })
  @ApiBadRequestResponse({ description: 'AUTH_DISPLAY_NAME_REQUIRED: the code is right, the email has no account yet; send it again with displayName' })
  @ApiUnauthorizedResponse({ description: 'AUTH_CODE_INVALID, AUTH_CODE_EXPIRED or AUTH_CODE_ATTEMPTS_EXCEEDED' })
  @ApiTooManyRequestsResponse({ description: 'Too many attempts for this email and address, this address, or this email' })
  async verify(
    @Body() body: VerifyDto,
    @Client() client: ClientInfo,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthResponse | CookieAuthResponse> {
    const signedIn = await this.auth.verify(body.email, body.code, body.displayName ?? null, client);
    return body.refreshTokenIn === 'cookie' ? this.cookie.deliver(request, response, signedIn) : signedIn;
  }

  @Public()
  @Post('refresh')
  @Audited(AuditAction.AuthRefresh)
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Rotate the token pair; reusing a refresh token ends its session',
    description: `With refreshToken in the body the new pair is in the body. Without it the ${REFRESH_COOKIE_NAME} cookie is used and replaced (the web app).`,
  })
  @ApiOkResponse({ type: TokensResponseDto })
  @ApiUnauthorizedResponse({ description: 'AUTH_REFRESH_INVALID, AUTH_REFRESH_REUSED or AUTH_SESSION_REVOKED' })
  refresh(
    @Body() body: RefreshDto,
    @Client() client: ClientInfo,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<AuthTokens | CookieAuthTokens> {
    if (body.refreshToken) return this.sessions.refresh(body.refreshToken, client);
    return this.refreshFromCookie(client, request, response);
  }

  @Post('logout')
  @Audited(AuditAction.AuthSignOut)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End the current session (and clear the refresh cookie)' })
  @ApiNoContentResponse()
  async logout(@CurrentUser() auth: AuthUser, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<void> {
    await this.sessions.revoke(auth.sessionId);
    this.cookie.clear(request, response);
  }

  @Get('sessions')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Your signed-in sessions (devices)' })
  @ApiOkResponse({ type: SessionResponseDto, isArray: true })
  listSessions(@CurrentUser() auth: AuthUser): Promise<SessionDto[]> {
    return this.sessions.list(auth.userId, auth.sessionId);
  }

  @Delete('sessions/:id')
  @Audited(AuditAction.AuthSessionRevoke, 'session')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End one of your sessions' })
  @ApiNoContentResponse()
  revokeSession(@CurrentUser() auth: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.sessions.revokeOwn(auth.userId, id);
  }

  /** The web app's refresh: the token comes from the cookie and the new one goes back there; a refused one is cleared. */
  private async refreshFromCookie(client: ClientInfo, request: Request, response: Response): Promise<CookieAuthTokens> {
    const refreshToken = this.cookie.read(request);
    if (!refreshToken) {
      throw new AuthException(AuthError.RefreshInvalid, 'No refresh token: send refreshToken in the body, or sign in again');
    }
    try {
      return this.cookie.deliver(request, response, await this.sessions.refresh(refreshToken, client));
    } catch (error) {
      this.cookie.clear(request, response);
      throw error;
    }
  }
}
