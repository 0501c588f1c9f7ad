import { describeDurability } from './durability.suite.ts';

describeDurability({
  name: 'in-process',
  target: () => ({ transport: 'in-process' }),
  // In one process the "broker" is the bus object itself; unreachable = it refuses publishes.
  brokerDown: async (bus) => void (bus.state.mode = 'fail'),
  brokerUp: async (bus) => void (bus.state.mode = 'ok'),
});
