import { ApiProperty } from '@nestjs/swagger';
import { ChannelReadsDto, READ_RECEIPTS_MAX_MEMBERS, ReadReceiptDto, ReadReceiptsUnavailable } from '@parley/contracts';

const UNAVAILABLE: ReadReceiptsUnavailable[] = ['workspace', 'you', 'too_large'];

export class ReadReceiptResponseDto implements ReadReceiptDto {
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty({ description: 'The seq of the last message they have read' }) lastReadSeq!: number;
}

export class ChannelReadsResponseDto implements ChannelReadsDto {
  @ApiProperty() available!: boolean;
  @ApiProperty({
    enum: UNAVAILABLE,
    nullable: true,
    description: `Null when available; else why not: the workspace turned receipts off, you did, or a channel of more than ${READ_RECEIPTS_MAX_MEMBERS} members`,
  })
  unavailableReason!: ReadReceiptsUnavailable | null;
  @ApiProperty({ type: ReadReceiptResponseDto, isArray: true, description: 'The other members who send receipts (never you); empty when not available' })
  reads!: ReadReceiptDto[];
}
