import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { RolesController } from './roles.controller';
import { RolesService } from './roles.service';

@Global()
@Module({
  controllers: [RolesController],
  providers: [AccessService, RolesService],
  exports: [AccessService],
})
export class RbacModule {}
