import { Module } from '@nestjs/common';
import { InvitesController } from './invites.controller';
import { InvitesService } from './invites.service';
import { MembersService } from './members.service';
import { WorkspacesController } from './workspaces.controller';
import { WorkspacesService } from './workspaces.service';

@Module({
  controllers: [WorkspacesController, InvitesController],
  providers: [WorkspacesService, MembersService, InvitesService],
  exports: [WorkspacesService],
})
export class WorkspacesModule {}
