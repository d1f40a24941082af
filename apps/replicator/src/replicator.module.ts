import { Module } from '@nestjs/common';
import { Replicator } from './replicator';

/**
 * Mirrors the peer region's Kafka topics into this region's cluster (MirrorMaker 2 style): no
 * public API beyond what every keel service serves (health, /metrics). Wiring only.
 */
@Module({ providers: [Replicator] })
export class ReplicatorModule {}
