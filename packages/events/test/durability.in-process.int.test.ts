import { describeDurability } from './durability.suite.ts';

describeDurability({
  name: 'in-process',
  target: () => ({ transport: 'in-process' }),
  // In one process the "broker" is the bus object itself; unreachable = it refuses publishes.
  brokerDown: (bus) => void (bus.state.mode = 'fail'),
  brokerUp: (bus) => void (bus.state.mode = 'ok'),
});
