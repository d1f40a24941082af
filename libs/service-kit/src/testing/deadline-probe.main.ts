import './deadline-probe.instrument';
import { runService } from '../bootstrap';
import { DeadlineProbeModule } from './deadline-probe';

/** The deadline probe as a real process; PROBE_READ_MS makes it a trust boundary with that read deadline. */
const readMs = process.env.PROBE_READ_MS ? Number(process.env.PROBE_READ_MS) : undefined;
runService({ module: DeadlineProbeModule, ...(readMs ? { trustBoundary: { deadlines: { readMs } } } : {}) });
