-- Differential-harness corpus (issue 5): Trino-dialect queries over the shop warehouse (SHOP.md), each run on
-- every engine and compared. Format: a `-- name: <kebab-name>` line, optional hint lines, the query, then `;`
-- alone on a line. Hints:
--   `-- expect: <free text>`     what an engine is expected to do differently, and why; `declined <engine> (<reasons>)`
--                                when Hera should refuse it there with a diagnostic (ClickHouse 18.16's reasons were
--                                checked on the test server: no window functions, EXISTS, INTERSECT/EXCEPT, UNION
--                                DISTINCT, WITH subqueries, correlated subqueries, or second JOIN in one SELECT);
--   `-- parser-gap: <construct>` the query uses a construct Hera's parser does not read yet (not parsed in tests).
-- Every query has one deterministic result: row order comes from ORDER BY over a total order (a unique key last)
-- wherever order matters or LIMIT is used; money sums and averages are rounded; no timestamps in select lists.
-- Strings compare by code point on every engine here (PostgreSQL runs with C.UTF-8).

-- name: count-all-orders
SELECT count(*) AS n FROM orders
;
-- name: count-rows-per-table
SELECT 'orders' AS t, count(*) AS n FROM orders
UNION ALL SELECT 'order_items', count(*) FROM order_items
UNION ALL SELECT 'users', count(*) FROM users
UNION ALL SELECT 'items', count(*) FROM items
ORDER BY t
;
-- name: orders-by-status
SELECT status, count(*) AS orders, count(DISTINCT user_id) AS buyers
FROM orders
GROUP BY status
ORDER BY status
;
-- name: order-items-aggregates
SELECT count(*) AS lines, sum(quantity) AS units, min(unit_price) AS min_price, max(unit_price) AS max_price,
       round(sum(quantity * unit_price), 2) AS gross, round(avg(quantity), 4) AS avg_quantity
FROM order_items
;
-- name: count-distinct-per-channel
SELECT channel, count(DISTINCT user_id) AS users, count(DISTINCT dt) AS days, count(*) AS orders
FROM orders
GROUP BY channel
ORDER BY channel
;
-- name: min-max-dates
SELECT min(dt) AS first_day, max(dt) AS last_day, count(DISTINCT dt) AS days FROM orders
;
-- name: revenue-by-day-top10
SELECT dt, round(sum(quantity * unit_price - discount), 2) AS revenue
FROM order_items
GROUP BY dt
ORDER BY revenue DESC, dt
LIMIT 10
;
-- name: group-by-ordinals
SELECT channel, status, count(*) AS n
FROM orders
GROUP BY 1, 2
ORDER BY 1, 2
;
-- name: having-filter
SELECT user_id, count(*) AS orders
FROM orders
GROUP BY user_id
HAVING count(*) >= 8
ORDER BY orders DESC, user_id
;
-- name: having-on-sum
SELECT item_id, sum(quantity) AS units
FROM order_items
GROUP BY item_id
HAVING sum(quantity) > 60
ORDER BY units DESC, item_id
;
-- name: star-join-seller-tier
-- expect: declined clickhouse 18.16 (more than one JOIN per SELECT)
SELECT s.tier, count(*) AS lines, sum(oi.quantity) AS units, round(sum(oi.quantity * oi.unit_price), 2) AS gross
FROM order_items oi
JOIN items i ON i.item_id = oi.item_id
JOIN sellers s ON s.seller_id = i.seller_id
GROUP BY s.tier
ORDER BY s.tier
;
-- name: star-join-channel-tier-status
-- expect: declined clickhouse 18.16 (more than one JOIN per SELECT)
SELECT o.channel, s.tier, o.status, count(*) AS lines
FROM order_items oi
JOIN orders o ON o.order_id = oi.order_id
JOIN items i ON i.item_id = oi.item_id
JOIN sellers s ON s.seller_id = i.seller_id
WHERE o.dt < DATE '2026-01-15'
GROUP BY o.channel, s.tier, o.status
ORDER BY o.channel, s.tier, o.status
;
-- name: snowflake-parent-category
-- expect: declined clickhouse 18.16 (more than one JOIN per SELECT)
SELECT p.category_id, p.name, count(DISTINCT i.item_id) AS items, sum(oi.quantity) AS units
FROM order_items oi
JOIN items i ON i.item_id = oi.item_id
JOIN categories c ON c.category_id = i.category_id
JOIN categories p ON p.category_id = c.parent_id
GROUP BY p.category_id, p.name
ORDER BY p.category_id
;
-- name: inner-join-users-orders
SELECT u.user_id, u.name, count(*) AS orders
FROM users u
INNER JOIN orders o ON o.user_id = u.user_id
WHERE u.user_id <= 20
GROUP BY u.user_id, u.name
ORDER BY u.user_id
;
-- name: left-join-users-without-orders
SELECT u.user_id, u.name
FROM users u
LEFT JOIN orders o ON o.user_id = u.user_id
WHERE o.order_id IS NULL
ORDER BY u.user_id
;
-- name: left-join-null-counts
SELECT u.user_id, count(o.order_id) AS orders, coalesce(max(o.order_id), -1) AS last_order
FROM users u
LEFT JOIN orders o ON o.user_id = u.user_id AND o.status = 'refunded'
WHERE u.user_id BETWEEN 1 AND 30
GROUP BY u.user_id
ORDER BY u.user_id
;
-- name: right-join-items-sellers
SELECT s.seller_id, s.name, count(i.item_id) AS items
FROM items i
RIGHT JOIN sellers s ON s.seller_id = i.seller_id AND i.price > 500
GROUP BY s.seller_id, s.name
ORDER BY s.seller_id
;
-- name: full-join-categories
SELECT coalesce(a.category_id, b.category_id) AS category_id, a.items AS cheap_items, b.items AS dear_items
FROM (SELECT category_id, count(*) AS items FROM items WHERE price < 20 GROUP BY category_id) a
FULL JOIN (SELECT category_id, count(*) AS items FROM items WHERE price > 800 GROUP BY category_id) b
  ON a.category_id = b.category_id
ORDER BY 1
;
-- name: full-outer-join-days
SELECT coalesce(o.dt, v.dt) AS dt, o.orders, v.carts
FROM (SELECT dt, count(*) AS orders FROM orders WHERE channel = 'mini' AND dt < DATE '2026-01-11' GROUP BY dt) o
FULL OUTER JOIN (SELECT dt, count(*) AS carts FROM page_views WHERE page = 'cart' AND dt >= DATE '2026-01-05' AND dt < DATE '2026-01-15' GROUP BY dt) v
  ON o.dt = v.dt
ORDER BY 1
;
-- name: cross-join-tiers-channels
SELECT t.tier, c.channel
FROM (SELECT DISTINCT tier FROM sellers) t
CROSS JOIN (SELECT DISTINCT channel FROM orders) c
ORDER BY t.tier, c.channel
;
-- name: join-using
SELECT order_id, count(*) AS lines, max(o.status) AS status
FROM orders o
JOIN order_items oi USING (order_id)
WHERE order_id <= 10
GROUP BY order_id
ORDER BY order_id
;
-- name: self-join-categories
SELECT c.category_id, c.name AS leaf, p.name AS parent
FROM categories c
JOIN categories p ON p.category_id = c.parent_id
ORDER BY c.category_id
;
-- name: implicit-cross-join-where
SELECT o.order_id, u.city
FROM orders o, users u
WHERE u.user_id = o.user_id AND o.order_id <= 15
ORDER BY o.order_id
;
-- name: date-literal-between
SELECT count(*) AS orders
FROM orders
WHERE dt BETWEEN DATE '2026-01-10' AND DATE '2026-01-20'
;
-- name: date-parts
SELECT year(dt) AS y, month(dt) AS m, day(dt) AS d, count(*) AS orders
FROM orders
WHERE dt < DATE '2026-01-08'
GROUP BY year(dt), month(dt), day(dt)
ORDER BY 1, 2, 3
;
-- name: day-of-week
SELECT day_of_week(dt) AS dow, count(*) AS orders
FROM orders
GROUP BY day_of_week(dt)
ORDER BY dow
;
-- name: date-trunc-month
SELECT CAST(date_trunc('month', dt) AS DATE) AS month, count(*) AS orders
FROM orders
GROUP BY date_trunc('month', dt)
ORDER BY 1
;
-- name: date-diff-days
SELECT u.user_id, date_diff('day', u.registered_at, min(o.dt)) AS days_to_first_order
FROM users u
JOIN orders o ON o.user_id = u.user_id
WHERE u.user_id <= 25
GROUP BY u.user_id, u.registered_at
ORDER BY u.user_id
;
-- name: date-add-days
SELECT o.order_id, date_add('day', 7, o.dt) AS due
FROM orders o
WHERE o.order_id <= 10
ORDER BY o.order_id
;
-- name: date-comparison-with-interval
SELECT count(*) AS views
FROM page_views
WHERE dt >= DATE '2026-02-01' - INTERVAL '7' DAY AND dt < DATE '2026-02-01'
;
-- name: registered-by-year
SELECT year(registered_at) AS y, count(*) AS users
FROM users
GROUP BY 1
ORDER BY 1
;
-- name: timestamp-hour-buckets
SELECT hour(order_ts) AS h, count(*) AS orders
FROM orders
GROUP BY hour(order_ts)
ORDER BY h
;
-- name: timestamp-range-filter
SELECT count(*) AS orders
FROM orders
WHERE order_ts >= TIMESTAMP '2026-01-05 00:00:00' AND order_ts < TIMESTAMP '2026-01-06 12:00:00'
;
-- name: extract-year-month
SELECT EXTRACT(MONTH FROM dt) AS m, count(*) AS orders
FROM orders
GROUP BY 1
ORDER BY 1
;
-- name: lower-upper-non-ascii
-- expect: differs sqlite (lower/upper change ASCII letters only)
SELECT user_id, lower(name) AS lower_name, upper(city) AS upper_city
FROM users
WHERE user_id <= 12
ORDER BY user_id
;
-- name: length-non-ascii
-- expect: clickhouse needs lengthUTF8 (length counts bytes)
SELECT category_id, name, length(name) AS chars
FROM categories
ORDER BY category_id
;
-- name: substr-and-strpos
SELECT item_id, substr(title, 1, 5) AS head, strpos(title, ' ') AS first_space
FROM items
WHERE item_id <= 15
ORDER BY item_id
;
-- name: concat-and-pipes
SELECT seller_id, concat(name, ' (', tier, ')') AS label, region || '/' || tier AS path
FROM sellers
ORDER BY seller_id
;
-- name: like-patterns
-- expect: sqlite's LIKE ignores ASCII case (PRAGMA case_sensitive_like is off by default)
SELECT item_id, title
FROM items
WHERE title LIKE '%Pro' OR title LIKE 'Ō%' OR title LIKE '%套装%'
ORDER BY item_id
;
-- name: not-like-and-underscore
SELECT count(*) AS n
FROM page_views
WHERE ab_bucket NOT LIKE 'test__'
;
-- name: case-insensitive-city-match
SELECT lower(city) AS city, count(*) AS users
FROM users
WHERE lower(city) IN ('new york', 'zürich', 'köln')
GROUP BY lower(city)
ORDER BY 1
;
-- name: names-with-quotes
SELECT user_id, name
FROM users
WHERE name LIKE '%''%'
ORDER BY user_id
;
-- name: substring-special-form
SELECT item_id, substring(title FROM 1 FOR 4) AS head
FROM items
WHERE item_id <= 5
ORDER BY item_id
;
-- name: position-special-form
SELECT item_id, position(' ' IN title) AS first_space
FROM items
WHERE item_id <= 5
ORDER BY item_id
;
-- name: trim-special-form
SELECT DISTINCT trim(BOTH ' ' FROM city) AS city
FROM users
ORDER BY 1
;
-- name: is-null-counts
SELECT count(*) AS users, count(age) AS with_age, count(*) - count(age) AS without_age,
       sum(CASE WHEN gender IS NULL THEN 1 ELSE 0 END) AS without_gender
FROM users
;
-- name: coalesce-and-nullif
SELECT user_id, coalesce(gender, '?') AS gender, coalesce(age, 0) AS age, nullif(gender, 'm') AS not_m
FROM users
WHERE user_id <= 20
ORDER BY user_id
;
-- name: group-by-nullable
SELECT gender, count(*) AS users
FROM users
GROUP BY gender
ORDER BY gender NULLS FIRST
;
-- name: null-ordering-default-asc
-- expect: sqlite puts NULLs first for ASC by default (Trino and PostgreSQL last) unless the printer writes NULLS LAST
SELECT user_id, age
FROM users
WHERE user_id <= 40
ORDER BY age, user_id
;
-- name: null-ordering-default-desc
-- expect: postgresql puts NULLs first for DESC by default; Trino last
SELECT user_id, age
FROM users
WHERE user_id <= 40
ORDER BY age DESC, user_id
;
-- name: null-ordering-explicit
SELECT user_id, age
FROM users
WHERE user_id <= 40
ORDER BY age DESC NULLS LAST, user_id
;
-- name: null-ordering-nulls-first
SELECT user_id, gender
FROM users
WHERE user_id <= 40
ORDER BY gender ASC NULLS FIRST, user_id DESC
;
-- name: top-level-categories-null-parent
SELECT category_id, name
FROM categories
WHERE parent_id IS NULL
ORDER BY category_id
;
-- name: integer-division
-- expect: clickhouse's / divides as floating point; the printer must use intDiv
SELECT quantity, quantity / 2 AS half, quantity % 2 AS odd, count(*) AS lines
FROM order_items
GROUP BY quantity
ORDER BY quantity
;
-- name: integer-division-of-counts
SELECT channel, count(*) / 100 AS hundreds, count(*) * 100 / (SELECT count(*) FROM orders) AS percent
FROM orders
GROUP BY channel
ORDER BY channel
;
-- name: greatest-least
SELECT item_id, greatest(price, 100) AS at_least_100, least(price, 50) AS at_most_50
FROM items
WHERE item_id <= 15
ORDER BY item_id
;
-- name: scalar-subquery
-- expect: declined clickhouse 18.16 (correlated subqueries)
SELECT order_id, (SELECT count(*) FROM order_items oi WHERE oi.order_id = o.order_id) AS lines
FROM orders o
WHERE o.order_id <= 12
ORDER BY order_id
;
-- name: scalar-subquery-in-where
SELECT item_id, price
FROM items
WHERE price > (SELECT avg(price) * 3 FROM items)
ORDER BY item_id
;
-- name: in-subquery
SELECT count(*) AS orders
FROM orders
WHERE user_id IN (SELECT user_id FROM users WHERE city = 'Zürich')
;
-- name: not-in-subquery
SELECT count(*) AS items_never_sold
FROM items
WHERE item_id NOT IN (SELECT item_id FROM order_items WHERE dt < DATE '2026-01-08')
;
-- name: exists-correlated
-- expect: declined clickhouse 18.16 (EXISTS subqueries)
SELECT s.seller_id, s.name
FROM sellers s
WHERE EXISTS (SELECT 1 FROM items i WHERE i.seller_id = s.seller_id AND i.price > 1000)
ORDER BY s.seller_id
;
-- name: not-exists-correlated
-- expect: declined clickhouse 18.16 (EXISTS subqueries)
SELECT u.user_id
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM page_views pv WHERE pv.user_id = u.user_id AND pv.page = 'cart')
ORDER BY u.user_id
;
-- name: derived-table
SELECT t.orders, count(*) AS users
FROM (SELECT user_id, count(*) AS orders FROM orders GROUP BY user_id) t
GROUP BY t.orders
ORDER BY t.orders
;
-- name: cte-simple
-- expect: declined clickhouse 18.16 (WITH subqueries, unless the printer inlines them)
WITH paid AS (
    SELECT order_id, user_id FROM orders WHERE status = 'paid'
)
SELECT count(*) AS orders, count(DISTINCT user_id) AS users FROM paid
;
-- name: cte-chain
-- expect: declined clickhouse 18.16 (WITH subqueries, unless the printer inlines them)
WITH totals AS (
    SELECT order_id, sum(quantity * unit_price - discount) AS total FROM order_items GROUP BY order_id
), bands AS (
    SELECT CASE WHEN total >= 1000 THEN 'large' WHEN total >= 100 THEN 'medium' ELSE 'small' END AS band, total
    FROM totals
)
SELECT band, count(*) AS orders, round(sum(total), 2) AS revenue
FROM bands
GROUP BY band
ORDER BY band
;
-- name: cte-with-column-list
-- expect: declined clickhouse 18.16 (WITH subqueries, unless the printer inlines them)
WITH per_user (user_id, orders) AS (
    SELECT user_id, count(*) FROM orders GROUP BY user_id
)
SELECT max(orders) AS most, min(orders) AS fewest, count(*) AS users FROM per_user
;
-- name: window-row-number
-- expect: declined clickhouse 18.16 (window functions)
SELECT user_id, order_id, row_number() OVER (PARTITION BY user_id ORDER BY order_id) AS nth
FROM orders
WHERE user_id <= 5
ORDER BY user_id, order_id
;
-- name: window-rank-dense-rank
-- expect: declined clickhouse 18.16 (window functions)
SELECT item_id, price, rank() OVER (ORDER BY price DESC) AS r, dense_rank() OVER (ORDER BY price DESC) AS dr
FROM items
ORDER BY price DESC, item_id
LIMIT 20
;
-- name: window-sum-over-partition
-- expect: declined clickhouse 18.16 (window functions)
SELECT order_id, line_no, quantity, sum(quantity) OVER (PARTITION BY order_id) AS order_units
FROM order_items
WHERE order_id <= 8
ORDER BY order_id, line_no
;
-- name: window-running-total
-- expect: declined clickhouse 18.16 (window functions)
SELECT dt, count(*) AS orders, sum(count(*)) OVER (ORDER BY dt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
FROM orders
GROUP BY dt
ORDER BY dt
;
-- name: window-lag-lead
-- expect: declined clickhouse 18.16 (window functions)
SELECT order_id, dt, lag(order_id) OVER (PARTITION BY user_id ORDER BY order_id) AS previous_order,
       lead(order_id) OVER (PARTITION BY user_id ORDER BY order_id) AS next_order
FROM orders
WHERE user_id = 17
ORDER BY order_id
;
-- name: window-top-per-group
-- expect: declined clickhouse 18.16 (window functions)
SELECT seller_id, item_id, price
FROM (
    SELECT seller_id, item_id, price, row_number() OVER (PARTITION BY seller_id ORDER BY price DESC, item_id) AS rn
    FROM items
) t
WHERE rn <= 2
ORDER BY seller_id, rn
;
-- name: union-distinct
-- expect: declined clickhouse 18.16 (UNION DISTINCT)
SELECT user_id FROM orders WHERE dt = DATE '2026-01-01'
UNION
SELECT user_id FROM page_views WHERE dt = DATE '2026-01-01' AND page = 'cart'
ORDER BY user_id
;
-- name: union-all-with-order
SELECT 'order' AS kind, order_id AS id FROM orders WHERE order_id <= 3
UNION ALL
SELECT 'view' AS kind, view_id AS id FROM page_views WHERE view_id <= 3
ORDER BY kind, id
;
-- name: intersect
-- expect: declined clickhouse 18.16 (INTERSECT and EXCEPT)
SELECT user_id FROM orders WHERE channel = 'app'
INTERSECT
SELECT user_id FROM orders WHERE channel = 'mini'
ORDER BY user_id
LIMIT 25
;
-- name: except
-- expect: declined clickhouse 18.16 (INTERSECT and EXCEPT)
SELECT item_id FROM items WHERE item_id <= 100
EXCEPT
SELECT item_id FROM page_views WHERE page = 'cart' AND dt < DATE '2026-01-15'
ORDER BY item_id
;
-- name: searched-case
SELECT CASE WHEN age IS NULL THEN 'unknown' WHEN age < 30 THEN 'young' WHEN age < 60 THEN 'middle' ELSE 'senior' END AS band,
       count(*) AS users
FROM users
GROUP BY 1
ORDER BY 1
;
-- name: simple-case
SELECT CASE status WHEN 'paid' THEN 1 WHEN 'shipped' THEN 2 ELSE 0 END AS code, count(*) AS orders
FROM orders
GROUP BY 1
ORDER BY 1
;
-- name: conditional-aggregates
SELECT dt,
       sum(CASE WHEN channel = 'app' THEN 1 ELSE 0 END) AS app,
       sum(CASE WHEN channel = 'web' THEN 1 ELSE 0 END) AS web,
       count(*) FILTER (WHERE channel = 'mini') AS mini
FROM orders
WHERE dt < DATE '2026-01-08'
GROUP BY dt
ORDER BY dt
;
-- name: cast-number-types
-- expect: sqlite truncates when casting a real to INTEGER; Trino and PostgreSQL round half away from zero
SELECT item_id, CAST(price AS INTEGER) AS whole, CAST(price * 100 AS BIGINT) AS cents, CAST(item_id AS VARCHAR) AS id_text
FROM items
WHERE item_id <= 10
ORDER BY item_id
;
-- name: cast-to-double-ratio
-- expect: postgresql has no round(double precision, integer); its printer must round a numeric
SELECT channel, round(CAST(count(*) AS DOUBLE) / 4000, 4) AS share
FROM orders
GROUP BY channel
ORDER BY channel
;
-- name: cast-string-to-date
SELECT count(*) AS orders
FROM orders
WHERE dt = CAST('2026-01-15' AS DATE)
;
-- name: limit-offset
SELECT order_id, user_id
FROM orders
ORDER BY order_id
OFFSET 10
LIMIT 5
;
-- name: limit-after-sort-desc
SELECT view_id, item_id
FROM page_views
ORDER BY view_id DESC
LIMIT 7
;
-- name: distinct-rows
SELECT DISTINCT status, channel
FROM orders
ORDER BY status, channel
;
-- name: arithmetic-on-decimals
SELECT order_id, line_no, quantity * unit_price - discount AS net, round(unit_price - discount / quantity, 4) AS unit_net
FROM order_items
WHERE order_id <= 5
ORDER BY order_id, line_no
;
-- name: boolean-logic-precedence
SELECT count(*) AS n
FROM orders
WHERE status = 'paid' OR status = 'shipped' AND channel = 'web' AND NOT (user_id < 100)
;
-- name: in-list-and-not-between
SELECT count(*) AS n
FROM users
WHERE city IN ('Berlin', 'Tokyo', 'São Paulo') AND age NOT BETWEEN 30 AND 50
;
-- name: hot-items-share
-- expect: declined clickhouse 18.16 (WITH subqueries, unless the printer inlines them)
WITH views AS (
    SELECT item_id, count(*) AS n FROM page_views GROUP BY item_id
)
SELECT v.item_id, v.n, round(100.0 * v.n / (SELECT sum(n) FROM views), 2) AS pct
FROM views v
ORDER BY v.n DESC, v.item_id
LIMIT 10
;
-- name: funnel-by-bucket
SELECT ab_bucket,
       count(DISTINCT user_id) AS users,
       count(DISTINCT CASE WHEN page = 'item' THEN user_id END) AS item_viewers,
       count(DISTINCT CASE WHEN page = 'cart' THEN user_id END) AS cart_viewers
FROM page_views
GROUP BY ab_bucket
ORDER BY ab_bucket
;
-- name: big-sellers-skew
SELECT i.seller_id, count(*) AS items, round(100.0 * count(*) / (SELECT count(*) FROM items), 1) AS pct
FROM items i
GROUP BY i.seller_id
ORDER BY items DESC, i.seller_id
LIMIT 5
;
-- name: window-over-aggregate-share
-- expect: declined clickhouse 18.16 (window functions)
SELECT s.region, count(*) AS items, sum(count(*)) OVER () AS all_items
FROM items i
JOIN sellers s ON s.seller_id = i.seller_id
GROUP BY s.region
ORDER BY s.region
;
-- name: repeat-buyers-cohort
-- expect: declined clickhouse 18.16 (EXISTS subqueries, correlated subqueries, WITH subqueries, unless the printer inlines them)
WITH firsts AS (
    SELECT user_id, min(dt) AS first_dt FROM orders GROUP BY user_id
)
SELECT f.first_dt, count(*) AS new_buyers,
       count(CASE WHEN EXISTS (SELECT 1 FROM orders o WHERE o.user_id = f.user_id AND o.dt > f.first_dt) THEN 1 END) AS returned
FROM firsts f
WHERE f.first_dt < DATE '2026-01-10'
GROUP BY f.first_dt
ORDER BY f.first_dt
;
