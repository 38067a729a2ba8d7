import { Global, Module } from '@nestjs/common';
import { AccessService } from './access.service';
import { MembershipRepository } from './membership.repository';

/** Access decisions and the membership they are made from, for every module. */
@Global()
@Module({
  providers: [MembershipRepository, AccessService],
  exports: [MembershipRepository, AccessService],
})
export class AccessModule {}
