import { Body, Controller, Get, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import { UserDto, UserSearchResultDto, AuditAction } from '@parley/contracts';
import { Audited } from '../audit/audited.decorator';
import { AuthUser, CurrentUser } from '../auth/current-user';
import { SearchUsersDto, UserSearchResultResponseDto } from './dto/search-users.dto';
import { toUserDto, UserResponseDto } from './dto/user.dto';
import { UpdateMeDto } from './dto/update-me.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponseDto })
  async me(@CurrentUser() auth: AuthUser): Promise<UserDto> {
    return toUserDto(await this.users.get(auth.userId));
  }

  @Get('search')
  @ApiOperation({ summary: 'Find people who share a workspace with you, by name or email prefix' })
  @ApiOkResponse({ type: UserSearchResultResponseDto, isArray: true })
  async search(@CurrentUser() auth: AuthUser, @Query() query: SearchUsersDto): Promise<UserSearchResultDto[]> {
    const users = await this.users.searchContacts(auth.userId, query.q);
    return users.map((u) => ({ id: u.id, email: u.email, displayName: u.displayName, avatarUrl: u.avatarUrl }));
  }

  @Patch('me')
  @Audited(AuditAction.UserUpdate, 'user')
  @ApiOperation({ summary: 'Change your display name, avatar, status text or whether you send read receipts' })
  @ApiOkResponse({ type: UserResponseDto })
  @ApiTooManyRequestsResponse({ description: 'Changing the profile too often (a burst of 30, then one a second)' })
  async updateMe(@CurrentUser() auth: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return toUserDto(await this.users.updateMe(auth.userId, body));
  }
}
