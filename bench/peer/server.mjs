// The Neo4j GraphQL Library (@neo4j/graphql 7, Apollo Server 4) over the same Neo4j and data as the
// service, for bench/bench_peer.py. Type definitions: typeDefs.graphql, generated from
// service/registry.py by `python -m bench.peer_typedefs`. One Node process, no response cache.
//   NEO4J_URI=… NEO4J_USER=… NEO4J_PASSWORD=… PORT=4000 node server.mjs
// DEBUG=@neo4j/graphql:execute logs each Cypher statement and its parameters (the benchmark PROFILEs them).
import { readFileSync } from "node:fs";
import net from "node:net";
import { ApolloServer } from "@apollo/server";
import { startStandaloneServer } from "@apollo/server/standalone";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";
import { appendFileSync } from "node:fs";

// With CAPTURE_FILE set, every statement the library runs is appended there as a JSON line
// {query, params} (integers as numbers), for the benchmark to PROFILE; the timed server runs without it.
function capture(driver, file) {
  const plain = (_key, value) => (neo4j.isInt(value) ? value.toNumber() : value);
  const record = (query, params) => appendFileSync(file, JSON.stringify({ query, params }, plain) + "\n");
  const session = driver.session.bind(driver);
  driver.session = (config) => {
    const s = session(config);
    const wrap = (work) => (tx) => work(new Proxy(tx, {
      get(target, key) {
        if (key === "run") return (query, params) => { record(query, params); return target.run(query, params); };
        const value = target[key];
        return typeof value === "function" ? value.bind(target) : value;
      },
    }));
    const read = s.executeRead.bind(s), write = s.executeWrite.bind(s);
    s.executeRead = (work, config) => read(wrap(work), config);
    s.executeWrite = (work, config) => write(wrap(work), config);
    return s;
  };
}

// The JavaScript driver leaves Nagle's algorithm on for its Bolt sockets, and a transaction's small
// writes then wait for the server's delayed ACK: ~40 ms on a request at one client. The driver
// connects through net.connect; turning Nagle off there gives the peer its best showing.
// PEER_NAGLE=1 keeps the driver's default.
if (!process.env.PEER_NAGLE) {
  const connect = net.connect;
  net.connect = (...args) => connect(...args).setNoDelay(true);
}

const typeDefs = readFileSync(new URL("./typeDefs.graphql", import.meta.url), "utf8");
const driver = neo4j.driver(process.env.NEO4J_URI,
  neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD));
if (process.env.CAPTURE_FILE) capture(driver, process.env.CAPTURE_FILE);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
const server = new ApolloServer({ schema, introspection: true });
const { url } = await startStandaloneServer(server, {
  listen: { host: "127.0.0.1", port: Number(process.env.PORT ?? 4000) },
  context: async () => ({ sessionConfig: { database: process.env.NEO4J_DATABASE ?? "neo4j" } }),
});
console.log(`peer ready at ${url}`);
