import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserDto } from '@parley/contracts';
import { AuthUser, CurrentUser } from '../auth/current-user';
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

  @Patch('me')
  @ApiOperation({ summary: 'Change your display name, avatar or status text' })
  @ApiOkResponse({ type: UserResponseDto })
  async updateMe(@CurrentUser() auth: AuthUser, @Body() body: UpdateMeDto): Promise<UserDto> {
    return toUserDto(await this.users.update(auth.userId, body));
  }
}
