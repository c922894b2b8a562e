// LS505 fixture (TypeScript): typed results do not change what the library does.
import * as serialize from "node-serialize";
import type { SNSEvent } from "aws-lambda";

interface Task {
  run(): void;
}

export const handler = async (event: SNSEvent): Promise<void> => {
  for (const record of event.Records) {
    // lambdasec-expect: LS505
    const task = serialize.unserialize(record.Sns.Message) as Task;
    // lambdasec-ok: LS505
    const topic = serialize.unserialize(JSON.stringify({ at: Date.now() })) as Task;
    task.run();
    topic.run();
  }
};
