import type { SqlLineageInput } from "../../../src/engines/duckdb/derive-sql-lineage.js";

const columns = (list: [string, string][]) => list.map(([name, type]) => ({ name, type }));

/** The inputs every case reads: local names `o` and `c` for the datasets `orders` and `customers`. */
export const CASE_INPUTS: SqlLineageInput[] = [
  {
    local: "o", dataset: "orders",
    columns: columns([
      ["order_id", "INTEGER"], ["customer_id", "INTEGER"], ["qty", "INTEGER"], ["status", "VARCHAR"],
      ["tags", "VARCHAR[]"], ["price", "DOUBLE"], ["OrderDate", "DATE"],
    ]),
  },
  {
    local: "c", dataset: "customers",
    columns: columns([
      ["customer_id", "INTEGER"], ["segment", "VARCHAR"], ["props", "STRUCT(utm STRUCT(source VARCHAR), a INTEGER)"],
      ["country", "VARCHAR"],
    ]),
  },
];

/**
 * One SQL step and its lineage written by hand from COLUMN_LINEAGE.md. An edge is
 * `dataset.field:SUBTYPE[+SUBTYPE]` (IDENTITY, TRANSFORMATION, AGGREGATION are DIRECT; the rest INDIRECT);
 * a field's edges are sorted by dataset then field, joined by ", "; "" is an empty list.
 */
export interface SqlCase {
  readonly construct: string;
  readonly sql: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly dataset?: string;
}

const ALL_ORDERS = {
  order_id: "orders.order_id:IDENTITY", customer_id: "orders.customer_id:IDENTITY", qty: "orders.qty:IDENTITY",
  status: "orders.status:IDENTITY", tags: "orders.tags:IDENTITY", price: "orders.price:IDENTITY",
  OrderDate: "orders.OrderDate:IDENTITY",
};

export const SQL_CASES: SqlCase[] = [
  {
    construct: "the conventions' example: o.* and a USING join",
    sql: "SELECT o.*, c.segment FROM o JOIN c USING (customer_id)",
    fields: { ...ALL_ORDERS, segment: "customers.segment:IDENTITY" },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN",
  },
  {
    construct: "unaliased column named in the schema's spelling",
    sql: "SELECT orderdate FROM o",
    fields: { OrderDate: "orders.OrderDate:IDENTITY" },
  },
  {
    construct: "star with EXCLUDE and REPLACE",
    sql: "SELECT * EXCLUDE (tags, OrderDate) REPLACE (qty * 2 AS qty) FROM o",
    fields: {
      order_id: "orders.order_id:IDENTITY", customer_id: "orders.customer_id:IDENTITY", qty: "orders.qty:TRANSFORMATION",
      status: "orders.status:IDENTITY", price: "orders.price:IDENTITY",
    },
  },
  {
    construct: "COLUMNS('regex')",
    sql: "SELECT COLUMNS('^(qty|price)$') FROM o",
    fields: { qty: "orders.qty:IDENTITY", price: "orders.price:IDENTITY" },
  },
  {
    construct: "aggregate over COLUMNS(...)",
    sql: "SELECT max(COLUMNS('^(qty|price)$')) FROM o",
    fields: { qty: "orders.qty:AGGREGATION", price: "orders.price:AGGREGATION" },
  },
  {
    construct: "FULL JOIN USING: the key is COALESCE(left, right)",
    sql: "SELECT customer_id, order_id, segment FROM o FULL JOIN c USING (customer_id)",
    fields: {
      customer_id: "customers.customer_id:IDENTITY+CONDITIONAL, orders.customer_id:IDENTITY+CONDITIONAL",
      order_id: "orders.order_id:IDENTITY", segment: "customers.segment:IDENTITY",
    },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN",
  },
  {
    construct: "RIGHT JOIN USING: the key binds to the right input",
    sql: "SELECT customer_id FROM o RIGHT JOIN c USING (customer_id)",
    fields: { customer_id: "customers.customer_id:IDENTITY" },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN",
  },
  {
    construct: "LEFT JOIN USING with c.* keeps c's copy of the key",
    sql: "SELECT customer_id, c.* FROM o LEFT JOIN c USING (customer_id)",
    fields: {
      customer_id: "orders.customer_id:IDENTITY", customer_id_1: "customers.customer_id:IDENTITY",
      segment: "customers.segment:IDENTITY", props: "customers.props:IDENTITY", country: "customers.country:IDENTITY",
    },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN",
  },
  {
    construct: "NATURAL JOIN",
    sql: "SELECT customer_id, order_id, country FROM o NATURAL JOIN c",
    fields: { customer_id: "orders.customer_id:IDENTITY", order_id: "orders.order_id:IDENTITY", country: "customers.country:IDENTITY" },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN",
  },
  {
    construct: "an extra predicate inside ON is JOIN, not FILTER",
    sql: "SELECT o.order_id FROM o JOIN c ON o.customer_id = c.customer_id AND c.segment = 'x' AND o.qty > 1",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "customers.customer_id:JOIN, customers.segment:JOIN, orders.customer_id:JOIN, orders.qty:JOIN",
  },
  {
    construct: "self-join: one input field listed once",
    sql: "SELECT a.qty + b.qty AS q FROM o a JOIN o b ON a.order_id = b.order_id",
    fields: { q: "orders.qty:TRANSFORMATION" },
    dataset: "orders.order_id:JOIN",
  },
  {
    construct: "WHERE is FILTER",
    sql: "SELECT order_id FROM o WHERE qty > 1 AND status = 'done'",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "orders.qty:FILTER, orders.status:FILTER",
  },
  {
    construct: "lateral column alias",
    sql: "SELECT qty * 2 AS x, x + 1 AS y FROM o",
    fields: { x: "orders.qty:TRANSFORMATION", y: "orders.qty:TRANSFORMATION" },
  },
  {
    construct: "a FROM column wins over a same-named earlier alias",
    sql: "SELECT price AS qty, qty + 1 AS next FROM o",
    fields: { qty: "orders.price:IDENTITY", next: "orders.qty:TRANSFORMATION" },
  },
  {
    construct: "CTE used twice",
    sql: "WITH x AS (SELECT customer_id, qty FROM o WHERE status = 'a') SELECT a.qty, b.qty AS q2 FROM x a JOIN x b USING (customer_id)",
    fields: { qty: "orders.qty:IDENTITY", q2: "orders.qty:IDENTITY" },
    dataset: "orders.customer_id:JOIN, orders.status:FILTER",
  },
  {
    construct: "subquery in FROM with its own filter",
    sql: "SELECT s.n FROM (SELECT order_id AS n FROM o WHERE qty > 0) s",
    fields: { n: "orders.order_id:IDENTITY" },
    dataset: "orders.qty:FILTER",
  },
  {
    construct: "IN subquery",
    sql: "SELECT order_id FROM o WHERE customer_id IN (SELECT customer_id FROM c WHERE segment = 'x')",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "customers.customer_id:FILTER, customers.segment:FILTER, orders.customer_id:FILTER",
  },
  {
    construct: "correlated NOT EXISTS",
    sql: "SELECT order_id FROM o WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.customer_id = o.customer_id AND c.country = o.status)",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "customers.country:FILTER, customers.customer_id:FILTER, orders.customer_id:FILTER, orders.status:FILTER",
  },
  {
    construct: "EXISTS without correlation",
    sql: "SELECT order_id FROM o WHERE EXISTS (SELECT 1 FROM c WHERE segment = 'x')",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "customers.segment:FILTER",
  },
  {
    construct: "correlated scalar subquery",
    sql: "SELECT order_id, (SELECT max(price) FROM o o2 WHERE o2.customer_id = o.customer_id) AS mp FROM o",
    fields: { order_id: "orders.order_id:IDENTITY", mp: "orders.price:AGGREGATION" },
    dataset: "orders.customer_id:FILTER",
  },
  {
    construct: "UNION ALL",
    sql: "SELECT customer_id FROM o UNION ALL SELECT customer_id FROM c",
    fields: { customer_id: "customers.customer_id:IDENTITY, orders.customer_id:IDENTITY" },
  },
  {
    construct: "UNION (distinct) adds no edge",
    sql: "SELECT status FROM o UNION SELECT segment FROM c",
    fields: { status: "customers.segment:IDENTITY, orders.status:IDENTITY" },
  },
  {
    construct: "UNION BY NAME",
    sql: "SELECT customer_id, qty FROM o UNION BY NAME SELECT customer_id, segment FROM c",
    fields: {
      customer_id: "customers.customer_id:IDENTITY, orders.customer_id:IDENTITY", qty: "orders.qty:IDENTITY",
      segment: "customers.segment:IDENTITY",
    },
  },
  {
    construct: "window functions: aggregate, ranking, value",
    sql: `SELECT row_number() OVER (PARTITION BY customer_id ORDER BY qty) AS rn,
                 sum(qty) OVER (PARTITION BY status) AS s, lag(price) OVER (ORDER BY OrderDate) AS lp FROM o`,
    fields: {
      rn: "orders.customer_id:WINDOW, orders.qty:WINDOW", s: "orders.qty:AGGREGATION, orders.status:WINDOW",
      lp: "orders.OrderDate:WINDOW, orders.price:TRANSFORMATION",
    },
  },
  {
    construct: "QUALIFY hands the window's columns to FILTER",
    sql: "SELECT order_id FROM o QUALIFY row_number() OVER (PARTITION BY customer_id ORDER BY qty DESC) = 1",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "orders.customer_id:FILTER, orders.qty:FILTER",
  },
  {
    construct: "PIVOT with IN",
    sql: "PIVOT o ON status IN ('a', 'b') USING sum(qty) GROUP BY customer_id",
    fields: {
      customer_id: "orders.customer_id:IDENTITY", a: "orders.qty:AGGREGATION, orders.status:CONDITIONAL",
      b: "orders.qty:AGGREGATION, orders.status:CONDITIONAL",
    },
    dataset: "orders.customer_id:GROUP_BY",
  },
  {
    construct: "UNPIVOT: value IDENTITY, name none",
    sql: "UNPIVOT (SELECT order_id, qty, customer_id FROM o) ON qty, customer_id INTO NAME k VALUE v",
    fields: { order_id: "orders.order_id:IDENTITY", k: "", v: "orders.customer_id:IDENTITY, orders.qty:IDENTITY" },
  },
  {
    construct: "struct field access and creation",
    sql: "SELECT props.utm.source AS src, {'q': qty, 'one': 1} AS st FROM o, c",
    fields: { src: "customers.props:TRANSFORMATION", st: "orders.qty:TRANSFORMATION" },
  },
  {
    construct: "lambdas: parameters are not columns, captured columns are",
    sql: "SELECT list_transform(tags, x -> x || status) AS l, list_filter(tags, customer_id -> customer_id > 'a') AS lf FROM o",
    fields: { l: "orders.status:TRANSFORMATION, orders.tags:TRANSFORMATION", lf: "orders.tags:TRANSFORMATION" },
  },
  {
    construct: "UNNEST and indexing",
    sql: "SELECT unnest(tags) AS t, tags[1] AS first FROM o",
    fields: { t: "orders.tags:TRANSFORMATION", first: "orders.tags:TRANSFORMATION" },
  },
  {
    construct: "CASE (searched and simple), COALESCE, if()",
    sql: `SELECT CASE WHEN qty > 1 THEN status ELSE 'x' END AS a, CASE status WHEN 'a' THEN price * 2 END AS b,
                 coalesce(status, 'z') AS cz, if(qty > 2, order_id, customer_id) AS i FROM o`,
    fields: {
      a: "orders.qty:CONDITIONAL, orders.status:IDENTITY", b: "orders.price:TRANSFORMATION, orders.status:CONDITIONAL",
      cz: "orders.status:IDENTITY+CONDITIONAL", i: "orders.customer_id:IDENTITY, orders.order_id:IDENTITY, orders.qty:CONDITIONAL",
    },
  },
  {
    construct: "aggregates with FILTER, count(*), literals, GROUP BY ALL, HAVING, ORDER BY ordinal",
    sql: `SELECT customer_id, sum(qty) FILTER (WHERE status = 'x') AS s, count(*) AS n, count(order_id) AS c2,
                 1 AS one, NULL AS nl, current_date AS d
          FROM o GROUP BY ALL HAVING sum(price) > 1 ORDER BY 2`,
    fields: {
      customer_id: "orders.customer_id:IDENTITY", s: "orders.qty:AGGREGATION, orders.status:CONDITIONAL", n: "",
      c2: "orders.order_id:AGGREGATION", one: "", nl: "", d: "",
    },
    dataset: "orders.customer_id:GROUP_BY, orders.price:FILTER, orders.qty:SORT, orders.status:SORT",
  },
  {
    construct: "GROUP BY ordinal, ORDER BY alias",
    sql: "SELECT status AS st, count(*) AS n FROM o GROUP BY 1 ORDER BY st DESC",
    fields: { st: "orders.status:IDENTITY", n: "" },
    dataset: "orders.status:GROUP_BY+SORT",
  },
  {
    construct: "GROUP BY an expression",
    sql: "SELECT upper(status) AS u, string_agg(segment, ',') AS segs FROM o JOIN c USING (customer_id) GROUP BY upper(status)",
    fields: { u: "orders.status:TRANSFORMATION", segs: "customers.segment:AGGREGATION" },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN, orders.status:GROUP_BY",
  },
  {
    construct: "explicit casts are TRANSFORMATION, implicit ones are not",
    sql: "SELECT qty::BIGINT AS a, TRY_CAST(status AS INTEGER) AS b, CAST(order_id AS VARCHAR) AS c, qty + 1::BIGINT AS d FROM o UNION ALL SELECT customer_id, 1, 'x', 2 FROM c",
    fields: {
      a: "customers.customer_id:IDENTITY, orders.qty:TRANSFORMATION", b: "orders.status:TRANSFORMATION",
      c: "orders.order_id:TRANSFORMATION", d: "orders.qty:TRANSFORMATION",
    },
  },
  {
    construct: "comparisons and LIKE",
    sql: "SELECT qty > 1 AS big, status LIKE 'a%' AS a FROM o",
    fields: { big: "orders.qty:TRANSFORMATION", a: "orders.status:TRANSFORMATION" },
  },
  {
    construct: "DISTINCT ON, ORDER BY and LIMIT",
    sql: "SELECT DISTINCT ON (customer_id) customer_id, segment FROM c ORDER BY customer_id LIMIT 5",
    fields: { customer_id: "customers.customer_id:IDENTITY", segment: "customers.segment:IDENTITY" },
    dataset: "customers.customer_id:SORT",
  },
  {
    construct: "only the outer ORDER BY is SORT",
    sql: "SELECT o.order_id FROM o JOIN (SELECT DISTINCT ON (customer_id) * FROM c ORDER BY customer_id, country) c USING (customer_id) ORDER BY o.qty",
    fields: { order_id: "orders.order_id:IDENTITY" },
    dataset: "customers.customer_id:JOIN, orders.customer_id:JOIN, orders.qty:SORT",
  },
  {
    construct: "IN subquery as a value",
    sql: "SELECT customer_id IN (SELECT customer_id FROM c) AS known FROM o",
    fields: { known: "customers.customer_id:TRANSFORMATION, orders.customer_id:TRANSFORMATION" },
  },
  {
    construct: "EXCEPT: the right side only filters",
    sql: "SELECT customer_id FROM o EXCEPT SELECT customer_id FROM c",
    fields: { customer_id: "orders.customer_id:IDENTITY" },
    dataset: "customers.customer_id:FILTER",
  },
  {
    construct: "table function and VALUES: no input",
    sql: "SELECT r.x, v.y FROM range(3) r(x), (VALUES ('a')) v(y)",
    fields: { x: "", y: "" },
  },
];
