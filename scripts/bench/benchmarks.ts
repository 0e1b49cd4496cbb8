/** Every benchmark the runner knows, by name. Add a module here to put it in `npm run bench`. */
import type { Benchmark } from './types';
import { orderBookBenchmark } from './orderbook';
import { scaleBenchmark } from './scale';
import { throughputBenchmark } from './throughput';

export const BENCHMARKS: Benchmark[] = [orderBookBenchmark, throughputBenchmark, scaleBenchmark];
