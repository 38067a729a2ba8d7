export type ServiceState = 'up' | 'down' | 'disabled';

export interface HealthResponse {
  status: 'ok' | 'degraded' | 'down';
  timestamp: string;
  services: {
    database: ServiceState;
    redis: ServiceState;
    websocket: ServiceState;
  };
}
