// LS507 fixture (TypeScript): a typed axios call with generics.
import axios, { type AxiosResponse } from "axios";
import type { APIGatewayProxyEventV2 } from "aws-lambda";

interface Preview {
  title: string;
}

export const handler = async (event: APIGatewayProxyEventV2): Promise<Preview> => {
  const link = event.queryStringParameters!["link"];
  // lambdasec-expect: LS507
  const page: AxiosResponse<Preview> = await axios.get<Preview>(link as string);
  // lambdasec-ok: LS507
  await axios.get<Preview>(`https://preview.example.com/?q=${encodeURIComponent(link ?? "")}`);
  return page.data;
};
