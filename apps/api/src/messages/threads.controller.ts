import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { MessagePage, ThreadDto, ThreadFollowState } from '@parley/contracts';
import { Access, InWorkspace, OnMessage } from '@api/access/access.decorators';
import { MessageAction } from '@api/access/access.rules';
import { WorkspaceAccess } from '@api/access/workspace-access';
import { NotAudited } from '@api/audit/audited.decorator';
import { AuthUser, CurrentUser } from '@api/auth/current-user';
import { MessagePageDto } from './dto/message.dto';
import { ReplyPageQueryDto, ThreadFollowStateResponseDto, ThreadReadDto, ThreadResponseDto } from './dto/thread.dto';
import { ThreadService } from './thread.service';

const NOT_AUDITED_FOLLOW = 'following a thread and reading it are the flow of conversation, like a channel read position';

@ApiTags('threads')
@ApiBearerAuth()
@Controller()
export class ThreadsController {
  constructor(private readonly threads: ThreadService) {}

  @Get('messages/:id/replies')
  @OnMessage('id', MessageAction.ReadReplies)
  @ApiOperation({ summary: "A page of the thread's replies in ascending seq, after a seq (anyone who may read the channel; 400 on a reply)" })
  @ApiOkResponse({ type: MessagePageDto, description: '`hasMore`: more replies after this page' })
  replies(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: ReplyPageQueryDto): Promise<MessagePage> {
    return this.threads.replies(user, id, query);
  }

  @NotAudited(NOT_AUDITED_FOLLOW)
  @Put('messages/:id/follow')
  @OnMessage('id', MessageAction.FollowThread)
  @ApiOperation({ summary: 'Follow the thread: its replies count as unread in your threads list (anyone who may read the channel)' })
  @ApiOkResponse({ type: ThreadFollowStateResponseDto })
  follow(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ThreadFollowState> {
    return this.threads.setFollowing(user, id, true);
  }

  @NotAudited(NOT_AUDITED_FOLLOW)
  @Delete('messages/:id/follow')
  @OnMessage('id', MessageAction.FollowThread)
  @ApiOperation({ summary: 'Unfollow the thread (replying in it follows it again; anyone who may read the channel)' })
  @ApiOkResponse({ type: ThreadFollowStateResponseDto })
  unfollow(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string): Promise<ThreadFollowState> {
    return this.threads.setFollowing(user, id, false);
  }

  @NotAudited(NOT_AUDITED_FOLLOW)
  @Post('messages/:id/replies/read')
  @HttpCode(HttpStatus.OK)
  @OnMessage('id', MessageAction.FollowThread)
  @ApiOperation({ summary: 'Mark the thread read up to a reply seq: never back, never past the newest reply (anyone who may read the channel)' })
  @ApiOkResponse({ type: ThreadFollowStateResponseDto })
  markRead(@CurrentUser() user: AuthUser, @Param('id', new ParseUUIDPipe()) id: string, @Body() body: ThreadReadDto): Promise<ThreadFollowState> {
    return this.threads.markRead(user, id, body.seq);
  }

  @Get('workspaces/:id/threads')
  @InWorkspace('id')
  @ApiOperation({ summary: 'The threads you follow in the channels of the workspace you may read, newest activity first (at most 50)' })
  @ApiOkResponse({ type: ThreadResponseDto, isArray: true })
  followed(@Access() access: WorkspaceAccess): Promise<ThreadDto[]> {
    return this.threads.followed(access);
  }
}
