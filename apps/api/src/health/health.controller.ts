import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { HealthResponse, ServiceState } from '@parley/contracts';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { RealtimeGateway } from '../realtime/realtime.gateway';
import { RedisService } from '../redis/redis.module';
import { HealthRepository } from './health.repository';

class HealthServicesDto {
  @ApiProperty({ enum: ['up', 'down'] }) database!: ServiceState;
  @ApiProperty({ enum: ['up', 'down', 'disabled'] }) redis!: ServiceState;
  @ApiProperty({ enum: ['up', 'down'] }) websocket!: ServiceState;
}

class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'] }) status!: 'ok' | 'degraded' | 'down';
  @ApiProperty({ format: 'date-time' }) timestamp!: string;
  @ApiProperty({ type: HealthServicesDto }) services!: HealthServicesDto;
}

async function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly database: HealthRepository,
    private readonly redis: RedisService,
    private readonly realtime: RealtimeGateway,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Liveness and the state of the database, Redis and the Socket.IO server' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database is down' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const [database, redis] = await Promise.all([
      within(
        this.database.ping().then(() => 'up' as const, () => 'down' as const),
        3000,
        'down' as const,
      ),
      within(this.redis.ping(), 3000, 'down' as const),
    ]);
    const websocket: ServiceState = this.realtime.initialized ? 'up' : 'down';
    const status = database === 'down' ? 'down' : redis === 'down' || websocket === 'down' ? 'degraded' : 'ok';
    if (database === 'down') response.status(HttpStatus.SERVICE_UNAVAILABLE);
    return { status, timestamp: new Date().toISOString(), services: { database, redis, websocket } };
  }
}
