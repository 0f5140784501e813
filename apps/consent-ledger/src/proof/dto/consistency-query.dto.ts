import { Type } from 'class-transformer';
import { IsInt, Min } from 'class-validator';

/** Two tree sizes, from <= to, both at most the latest checkpoint's. */
export class ConsistencyQueryDto {
  @Type(() => Number)
  @IsInt()
  @Min(1)
  from: number;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  to: number;
}
