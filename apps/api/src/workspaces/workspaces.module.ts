import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { InviteRepository } from './invite.repository';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { MembersService } from './members.service';
import { WorkspaceRepository } from './workspace.repository';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

@Module({
  imports: [UsersModule],
  controllers: [WorkspacesController, InvitesController],
  providers: [WorkspaceRepository, InviteRepository, WorkspacesService, MembersService, InvitesService],
  exports: [WorkspacesService],
})
export class WorkspacesModule {}
