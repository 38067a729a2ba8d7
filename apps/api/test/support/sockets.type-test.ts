// Compile-time checks of the socket helpers (`tsc -p apps/api/tsconfig.json` fails when one stops
// holding: an unused @ts-expect-error is an error). Never run.
import { MessageDto, SyncResult } from '@parley/contracts';
import { ackData, call, callOk, callUntyped, ClientSocket } from './sockets';

export async function socketHelperTypeChecks(socket: ClientSocket): Promise<void> {
  // @ts-expect-error an event name the contracts do not have
  await call(socket, 'sendMesage', {});
  // @ts-expect-error a payload of the wrong shape
  await call(socket, 'setStatus', { status: 'sleeping' });
  // @ts-expect-error a field missing from the payload
  await call(socket, 'sendMessage', { channelId: 'c', text: 'no clientMsgId' });
  const message: MessageDto = await callOk(socket, 'sendMessage', { channelId: 'c', text: 't', clientMsgId: 'id' });
  const synced: SyncResult = ackData(await call(socket, 'sync', { cursors: {} }));
  // @ts-expect-error a sync answers with a SyncResult, not a message
  const wrong: MessageDto = await callOk(socket, 'sync', { cursors: {} });
  // Hostile tests send anything, on purpose.
  await callUntyped(socket, 'no such event', { status: 'sleeping' });
  void [message, synced, wrong];
}
