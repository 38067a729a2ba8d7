import { Init1763770000000 } from './1763770000000-Init';
import { WorkspacesChannels1763780000000 } from './1763780000000-WorkspacesChannels';
import { AuditLog1763790000000 } from './1763790000000-AuditLog';
import { Messages1763800000000 } from './1763800000000-Messages';
import { AuditChainKeys1763815000000 } from './1763815000000-AuditChainKeys';
import { BuiltInRolesFromCatalogue1764600000000 } from './1764600000000-BuiltInRolesFromCatalogue';
import { MessageChanges1764700000000 } from './1764700000000-MessageChanges';
import { ConversationFeatures1764800000000 } from './1764800000000-ConversationFeatures';
import { MentionsReadReceipts1764900000000 } from './1764900000000-MentionsReadReceipts';
import { Files1765000000000 } from './1765000000000-Files';
import { FilesPurgeable1765050000000 } from './1765050000000-FilesPurgeable';
import { AuditOutbox1765100000000 } from './1765100000000-AuditOutbox';
import { MessageChangeBatches1765200000000 } from './1765200000000-MessageChangeBatches';
import { MessagesRoomToChange1765300000000 } from './1765300000000-MessagesRoomToChange';

/** Every migration, in order. The app runs the pending ones at start; add new ones at the end. */
export const MIGRATIONS: Function[] = [Init1763770000000, WorkspacesChannels1763780000000, AuditLog1763790000000, Messages1763800000000, AuditChainKeys1763815000000, BuiltInRolesFromCatalogue1764600000000, MessageChanges1764700000000, ConversationFeatures1764800000000, MentionsReadReceipts1764900000000, Files1765000000000, FilesPurgeable1765050000000, AuditOutbox1765100000000, MessageChangeBatches1765200000000, MessagesRoomToChange1765300000000];
