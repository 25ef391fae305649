// The floor of the peer's stack, for bench/bench_floor.py: Node's own http server answering POST with a
// small fixed JSON body (FLOOR=bare), or with one statement through neo4j-driver first (FLOOR=driver:
// `MATCH (n:Entity {id: $id}) RETURN n`, the id from the request's variables). No GraphQL.
//   FLOOR=driver NEO4J_URI=… NEO4J_PASSWORD=… PORT=4001 node floor.mjs
import http from "node:http";
import net from "node:net";
import neo4j from "neo4j-driver";

// as server.mjs: Nagle off on the driver's Bolt sockets
const connect = net.connect;
net.connect = (...args) => connect(...args).setNoDelay(true);

const mode = process.env.FLOOR ?? "bare";
const database = process.env.NEO4J_DATABASE ?? "neo4j";
const driver = mode === "driver"
  ? neo4j.driver(process.env.NEO4J_URI, neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD))
  : null;
const FIXED = JSON.stringify({ data: { node: { id: "ORG-0", name: "a fixed answer", kind: "COMMUNITY" } } });
const QUERY = "MATCH (n:Entity {id: $id}) RETURN n";

async function answer(body) {
  if (driver === null) return FIXED;
  const { variables } = JSON.parse(body);
  const { records } = await driver.executeQuery(QUERY, { id: variables.id },
    { database, routing: neo4j.routing.READ });
  const n = records.length ? records[0].get("n").properties : null;
  return JSON.stringify({ data: { node: n && { id: n.id, name: n.name, kind: n.kind } } });
}

http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    answer(Buffer.concat(chunks).toString("utf8")).then((text) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(text);
    }, (err) => {
      res.writeHead(500, { "content-type": "text/plain" });
      res.end(String(err));
    });
  });
}).listen(Number(process.env.PORT ?? 4001), "127.0.0.1", () => console.log(`floor (${mode}) ready`));
