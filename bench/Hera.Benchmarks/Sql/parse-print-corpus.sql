-- Realistic analytic queries over the shop warehouse (SHOP.md), about 1 KB each, for SqlParsePrintBenchmarks.
-- Statements are separated by a line holding only ';'.
WITH daily AS (
    SELECT o.dt, o.channel, count(DISTINCT o.order_id) AS orders, count(DISTINCT o.user_id) AS buyers,
           sum(oi.quantity * oi.unit_price - oi.discount) AS revenue
    FROM orders o
    JOIN order_items oi ON oi.order_id = o.order_id
    WHERE o.dt BETWEEN DATE '2026-01-01' AND DATE '2026-01-31'
      AND o.status IN ('paid', 'shipped')
    GROUP BY o.dt, o.channel
)
SELECT d.dt, d.channel, d.orders, d.buyers, d.revenue,
       sum(d.revenue) OVER (PARTITION BY d.channel ORDER BY d.dt ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_revenue,
       avg(d.revenue) OVER (PARTITION BY d.channel ORDER BY d.dt ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS revenue_7d,
       d.revenue / nullif(d.orders, 0) AS revenue_per_order,
       lag(d.revenue, 7) OVER (PARTITION BY d.channel ORDER BY d.dt) AS revenue_week_before,
       CASE WHEN d.revenue > 1.2 * lag(d.revenue, 7) OVER (PARTITION BY d.channel ORDER BY d.dt) THEN 'up'
            WHEN d.revenue < 0.8 * lag(d.revenue, 7) OVER (PARTITION BY d.channel ORDER BY d.dt) THEN 'down'
            ELSE 'flat' END AS trend
FROM daily d
ORDER BY d.channel, d.dt
;
SELECT s.region, s.tier, parent.name AS top_category, c.name AS category,
       count(DISTINCT i.item_id) AS items, count(DISTINCT oi.order_id) AS orders,
       sum(oi.quantity) AS units, sum(oi.quantity * oi.unit_price) AS gross, sum(oi.discount) AS discounts,
       round(sum(oi.discount) / nullif(sum(oi.quantity * oi.unit_price), 0), 4) AS discount_rate,
       min(i.price) AS min_price, max(i.price) AS max_price, avg(i.price) AS avg_price
FROM order_items oi
JOIN items i ON i.item_id = oi.item_id
JOIN sellers s ON s.seller_id = i.seller_id
JOIN categories c ON c.category_id = i.category_id
LEFT JOIN categories parent ON parent.category_id = c.parent_id
JOIN orders o ON o.order_id = oi.order_id
WHERE o.status <> 'cancelled'
  AND oi.dt >= DATE '2026-01-15' AND oi.dt < DATE '2026-02-15'
  AND s.tier IN ('gold', 'silver')
GROUP BY s.region, s.tier, parent.name, c.name
HAVING count(DISTINCT oi.order_id) >= 5 AND sum(oi.quantity * oi.unit_price) > 100
ORDER BY gross DESC, s.region, s.tier, top_category NULLS LAST, category
LIMIT 200
;
WITH first_orders AS (
    SELECT user_id, min(dt) AS first_dt
    FROM orders
    WHERE status IN ('paid', 'shipped', 'refunded')
    GROUP BY user_id
), cohorts AS (
    SELECT f.user_id, date_trunc('week', f.first_dt) AS cohort_week, u.city, u.gender,
           CASE WHEN u.age IS NULL THEN 'unknown' WHEN u.age < 25 THEN '18-24' WHEN u.age < 35 THEN '25-34'
                WHEN u.age < 50 THEN '35-49' ELSE '50+' END AS age_band
    FROM first_orders f
    JOIN users u ON u.user_id = f.user_id
), activity AS (
    SELECT c.cohort_week, c.age_band, date_diff('week', c.cohort_week, date_trunc('week', o.dt)) AS week_number,
           count(DISTINCT o.user_id) AS active_users
    FROM cohorts c
    JOIN orders o ON o.user_id = c.user_id
    WHERE o.status <> 'cancelled'
    GROUP BY 1, 2, 3
)
SELECT a.cohort_week, a.age_band, a.week_number, a.active_users,
       CAST(a.active_users AS DOUBLE) / first_value(a.active_users) OVER (PARTITION BY a.cohort_week, a.age_band ORDER BY a.week_number) AS retention
FROM activity a
WHERE a.week_number BETWEEN 0 AND 8
ORDER BY a.cohort_week, a.age_band, a.week_number
;
SELECT pv.ab_bucket, pv.page, count(*) AS views, count(DISTINCT pv.user_id) AS viewers,
       count(DISTINCT o.order_id) AS orders, count(DISTINCT o.user_id) AS buyers,
       CAST(count(DISTINCT o.user_id) AS DOUBLE) / nullif(count(DISTINCT pv.user_id), 0) AS conversion,
       sum(CASE WHEN pv.page = 'cart' THEN 1 ELSE 0 END) AS cart_views,
       sum(CASE WHEN pv.page = 'item' THEN 1 ELSE 0 END) AS item_views,
       count(*) FILTER (WHERE pv.page = 'search') AS search_views
FROM page_views pv
LEFT JOIN orders o
       ON o.user_id = pv.user_id
      AND o.dt BETWEEN pv.dt AND date_add('day', 3, pv.dt)
      AND o.status IN ('paid', 'shipped')
WHERE pv.dt >= DATE '2026-01-10' AND pv.dt < DATE '2026-02-10'
  AND pv.ab_bucket IN ('base', 'test_a', 'test_b')
GROUP BY pv.ab_bucket, pv.page
HAVING count(*) > 10
ORDER BY pv.ab_bucket, pv.page
;
WITH ranked AS (
    SELECT i.seller_id, i.item_id, i.title, i.price, sum(oi.quantity) AS units,
           sum(oi.quantity * oi.unit_price - oi.discount) AS revenue,
           row_number() OVER (PARTITION BY i.seller_id ORDER BY sum(oi.quantity * oi.unit_price - oi.discount) DESC, i.item_id) AS rn,
           rank() OVER (PARTITION BY i.seller_id ORDER BY sum(oi.quantity) DESC) AS unit_rank,
           dense_rank() OVER (ORDER BY sum(oi.quantity * oi.unit_price) DESC) AS global_rank
    FROM items i
    JOIN order_items oi ON oi.item_id = i.item_id
    JOIN orders o ON o.order_id = oi.order_id AND o.status IN ('paid', 'shipped')
    GROUP BY i.seller_id, i.item_id, i.title, i.price
)
SELECT s.name AS seller, s.region, s.tier, r.item_id, r.title, r.price, r.units, r.revenue, r.rn, r.unit_rank, r.global_rank,
       r.revenue / sum(r.revenue) OVER (PARTITION BY r.seller_id) AS share_of_seller
FROM ranked r
JOIN sellers s ON s.seller_id = r.seller_id
WHERE r.rn <= 5
ORDER BY s.region, s.name, r.rn
;
SELECT u.city, u.gender, count(DISTINCT u.user_id) AS users,
       count(DISTINCT CASE WHEN o.order_id IS NOT NULL THEN u.user_id END) AS buyers,
       coalesce(sum(oi.quantity * oi.unit_price), 0) AS gross,
       coalesce(avg(u.age), 0) AS avg_age,
       max(o.order_ts) AS last_order_ts,
       min(u.registered_at) AS first_registration,
       count(DISTINCT o.order_id) FILTER (WHERE o.channel = 'app') AS app_orders,
       count(DISTINCT o.order_id) FILTER (WHERE o.channel = 'web') AS web_orders,
       count(DISTINCT o.order_id) FILTER (WHERE o.channel = 'mini') AS mini_orders
FROM users u
LEFT JOIN orders o ON o.user_id = u.user_id AND o.status <> 'cancelled'
LEFT JOIN order_items oi ON oi.order_id = o.order_id
WHERE u.registered_at < DATE '2026-03-01'
  AND (u.age IS NULL OR u.age BETWEEN 18 AND 80)
  AND lower(u.city) NOT LIKE '%test%'
GROUP BY u.city, u.gender
HAVING count(DISTINCT u.user_id) >= 3
ORDER BY gross DESC, u.city, u.gender NULLS FIRST
OFFSET 0 LIMIT 100
;
SELECT o.order_id, o.user_id, o.order_ts, o.status, o.channel, line_count, order_total,
       CASE WHEN order_total >= 500 THEN 'large' WHEN order_total >= 100 THEN 'medium' ELSE 'small' END AS size_band
FROM orders o
JOIN (
    SELECT oi.order_id, count(*) AS line_count, sum(oi.quantity * oi.unit_price - oi.discount) AS order_total,
           max(oi.discount) AS max_discount
    FROM order_items oi
    WHERE oi.dt BETWEEN DATE '2026-02-01' AND DATE '2026-02-28'
    GROUP BY oi.order_id
) t ON t.order_id = o.order_id
WHERE o.dt BETWEEN DATE '2026-02-01' AND DATE '2026-02-28'
  AND t.max_discount < 0.5 * t.order_total
  AND o.user_id IN (
      SELECT user_id FROM users WHERE city IN ('München', 'Zürich', 'São Paulo', 'Kraków') AND age >= 21
  )
  AND NOT EXISTS (
      SELECT 1 FROM orders r
      WHERE r.user_id = o.user_id AND r.status = 'refunded' AND r.dt >= date_add('day', -30, o.dt)
  )
ORDER BY order_total DESC, o.order_id
LIMIT 50
;
WITH item_views AS (
    SELECT item_id, count(*) AS views, count(DISTINCT user_id) AS viewers,
           count(*) FILTER (WHERE ab_bucket = 'test_a') AS views_a,
           count(*) FILTER (WHERE ab_bucket = 'test_b') AS views_b
    FROM page_views
    WHERE page = 'item' AND dt BETWEEN DATE '2026-01-01' AND DATE '2026-03-01'
    GROUP BY item_id
), item_sales AS (
    SELECT item_id, sum(quantity) AS units, count(DISTINCT order_id) AS orders
    FROM order_items
    WHERE dt BETWEEN DATE '2026-01-01' AND DATE '2026-03-01'
    GROUP BY item_id
)
SELECT i.item_id, i.title, c.name AS category, v.views, v.viewers, coalesce(s.units, 0) AS units,
       coalesce(s.orders, 0) AS orders,
       CAST(coalesce(s.orders, 0) AS DOUBLE) / nullif(v.viewers, 0) AS view_to_order,
       ntile(10) OVER (ORDER BY v.views DESC) AS view_decile,
       percent_rank() OVER (PARTITION BY i.category_id ORDER BY coalesce(s.units, 0)) AS unit_percentile
FROM item_views v
JOIN items i ON i.item_id = v.item_id
JOIN categories c ON c.category_id = i.category_id
LEFT JOIN item_sales s ON s.item_id = v.item_id
WHERE v.views >= 20
ORDER BY v.views DESC, i.item_id
LIMIT 500
;
SELECT date_trunc('month', o.dt) AS month, year(o.dt) AS y, month(o.dt) AS m, day_of_week(o.dt) AS dow,
       o.channel, count(*) AS orders,
       sum(CASE o.status WHEN 'paid' THEN 1 ELSE 0 END) AS paid,
       sum(CASE o.status WHEN 'shipped' THEN 1 ELSE 0 END) AS shipped,
       sum(CASE o.status WHEN 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
       sum(CASE o.status WHEN 'refunded' THEN 1 ELSE 0 END) AS refunded,
       round(100.0 * sum(CASE WHEN o.status IN ('cancelled', 'refunded') THEN 1 ELSE 0 END) / count(*), 2) AS bad_pct,
       count(DISTINCT o.user_id) AS users,
       min(o.order_ts) AS first_ts, max(o.order_ts) AS last_ts
FROM orders o
WHERE o.order_ts >= TIMESTAMP '2026-01-01 00:00:00' AND o.order_ts < TIMESTAMP '2026-03-02 00:00:00'
  AND o.channel IS NOT NULL
GROUP BY date_trunc('month', o.dt), year(o.dt), month(o.dt), day_of_week(o.dt), o.channel
HAVING count(*) > 0
ORDER BY month, dow, o.channel
;
SELECT 'seller' AS kind, CAST(s.seller_id AS BIGINT) AS id, s.name AS label, count(i.item_id) AS n
FROM sellers s
LEFT JOIN items i ON i.seller_id = s.seller_id
WHERE s.tier = 'gold'
GROUP BY s.seller_id, s.name
UNION ALL
SELECT 'category' AS kind, CAST(c.category_id AS BIGINT) AS id, c.name AS label, count(i.item_id) AS n
FROM categories c
LEFT JOIN items i ON i.category_id = c.category_id
WHERE c.parent_id IS NOT NULL
GROUP BY c.category_id, c.name
UNION ALL
SELECT 'city' AS kind, CAST(count(DISTINCT u.user_id) AS BIGINT) AS id, u.city AS label, count(o.order_id) AS n
FROM users u
LEFT JOIN orders o ON o.user_id = u.user_id
WHERE u.city LIKE 'S%' OR u.city LIKE 'M%'
GROUP BY u.city
EXCEPT
SELECT 'city' AS kind, CAST(0 AS BIGINT) AS id, 'nowhere' AS label, 0 AS n
ORDER BY kind, n DESC, id
;
WITH sessions AS (
    SELECT pv.user_id, pv.view_id, pv.view_ts, pv.page, pv.item_id,
           lag(pv.view_ts) OVER (PARTITION BY pv.user_id ORDER BY pv.view_ts, pv.view_id) AS previous_ts,
           lead(pv.page) OVER (PARTITION BY pv.user_id ORDER BY pv.view_ts, pv.view_id) AS next_page,
           row_number() OVER (PARTITION BY pv.user_id ORDER BY pv.view_ts, pv.view_id) AS step
    FROM page_views pv
    WHERE pv.dt = DATE '2026-01-20'
)
SELECT s.page, s.next_page, count(*) AS transitions, count(DISTINCT s.user_id) AS users,
       avg(s.step) AS avg_step,
       sum(CASE WHEN s.previous_ts IS NULL THEN 1 ELSE 0 END) AS entries,
       sum(CASE WHEN s.next_page IS NULL THEN 1 ELSE 0 END) AS exits,
       max(s.step) AS longest_path,
       count(DISTINCT s.item_id) AS distinct_items
FROM sessions s
WHERE s.page IN ('home', 'search', 'item', 'cart')
GROUP BY s.page, s.next_page
ORDER BY transitions DESC, s.page, s.next_page NULLS LAST
LIMIT 100
;
SELECT c.category_id, c.name, parent.name AS parent_name,
       (SELECT count(*) FROM items i WHERE i.category_id = c.category_id) AS items,
       (SELECT avg(i.price) FROM items i WHERE i.category_id = c.category_id) AS avg_price,
       (SELECT max(oi.unit_price) FROM order_items oi JOIN items i ON i.item_id = oi.item_id WHERE i.category_id = c.category_id) AS max_sold_price,
       (SELECT count(DISTINCT i.seller_id) FROM items i WHERE i.category_id = c.category_id) AS sellers,
       EXISTS (SELECT 1 FROM items i JOIN sellers s ON s.seller_id = i.seller_id WHERE i.category_id = c.category_id AND s.tier = 'gold') AS has_gold_seller,
       coalesce(parent.name, c.name) AS top_name
FROM categories c
LEFT JOIN categories parent ON parent.category_id = c.parent_id
WHERE c.parent_id IS NOT NULL
  AND c.category_id NOT IN (SELECT category_id FROM items WHERE price > 10000)
ORDER BY parent_name, c.name, c.category_id
;
WITH orders_with_totals AS (
    SELECT o.order_id, o.user_id, o.dt, o.channel,
           sum(oi.quantity * oi.unit_price - oi.discount) AS total,
           sum(oi.quantity) AS units
    FROM orders o
    JOIN order_items oi USING (order_id)
    WHERE o.status IN ('paid', 'shipped')
    GROUP BY o.order_id, o.user_id, o.dt, o.channel
), user_stats AS (
    SELECT user_id, count(*) AS orders, sum(total) AS spend, avg(total) AS avg_order, max(dt) AS last_dt,
           min(dt) AS first_dt, sum(units) AS units
    FROM orders_with_totals
    GROUP BY user_id
)
SELECT us.user_id, u.name, u.city, us.orders, us.spend, us.avg_order, us.units,
       date_diff('day', us.first_dt, us.last_dt) AS active_days,
       CASE WHEN us.spend >= 1000 THEN 'vip' WHEN us.orders >= 3 THEN 'regular' ELSE 'occasional' END AS segment,
       ntile(4) OVER (ORDER BY us.spend DESC, us.user_id) AS spend_quartile
FROM user_stats us
JOIN users u ON u.user_id = us.user_id
WHERE us.orders >= 2
ORDER BY us.spend DESC, us.user_id
LIMIT 1000
;
SELECT i.item_id, i.title, upper(substr(i.title, 1, 1)) || lower(substr(i.title, 2)) AS display_title,
       length(i.title) AS title_length, strpos(lower(i.title), 'pro') AS pro_position,
       concat(s.name, ' / ', c.name) AS seller_and_category,
       replace(i.title, '  ', ' ') AS clean_title,
       greatest(i.price, 1.00) AS floor_price, least(i.price, 999.99) AS capped_price,
       i.price * 1.19 AS gross_price, CAST(i.price AS INTEGER) AS whole_price,
       i.listed_at, date_diff('day', i.listed_at, DATE '2026-03-01') AS days_listed
FROM items i
JOIN sellers s ON s.seller_id = i.seller_id
JOIN categories c ON c.category_id = i.category_id
WHERE (lower(i.title) LIKE '%café%' OR lower(i.title) LIKE '%tee%' OR i.title LIKE 'Ü%')
  AND i.price BETWEEN 5 AND 500
  AND i.listed_at >= DATE '2025-06-01'
ORDER BY days_listed DESC, i.item_id
LIMIT 300
;
SELECT x.region, x.tier, x.month, x.revenue,
       x.revenue - lag(x.revenue) OVER (PARTITION BY x.region, x.tier ORDER BY x.month) AS change,
       sum(x.revenue) OVER (PARTITION BY x.region ORDER BY x.month, x.tier ROWS UNBOUNDED PRECEDING) AS cumulative,
       rank() OVER (PARTITION BY x.month ORDER BY x.revenue DESC) AS rank_in_month,
       x.revenue / sum(x.revenue) OVER (PARTITION BY x.month) AS share_of_month
FROM (
    SELECT s.region, s.tier, date_trunc('month', oi.dt) AS month,
           sum(oi.quantity * oi.unit_price - oi.discount) AS revenue
    FROM order_items oi
    JOIN items i ON i.item_id = oi.item_id
    JOIN sellers s ON s.seller_id = i.seller_id
    JOIN orders o ON o.order_id = oi.order_id
    WHERE o.status IN ('paid', 'shipped') AND oi.dt >= DATE '2026-01-01'
    GROUP BY s.region, s.tier, date_trunc('month', oi.dt)
) x
WHERE x.revenue > 0
ORDER BY x.region, x.tier, x.month
;
SELECT u.user_id, u.name, u.city, u.age, u.gender, u.registered_at,
       (SELECT count(*) FROM orders o WHERE o.user_id = u.user_id) AS order_count,
       (SELECT max(o.dt) FROM orders o WHERE o.user_id = u.user_id AND o.status = 'paid') AS last_paid,
       (SELECT count(*) FROM page_views pv WHERE pv.user_id = u.user_id AND pv.page = 'cart') AS cart_views
FROM users u
WHERE EXISTS (
        SELECT 1 FROM page_views pv
        WHERE pv.user_id = u.user_id AND pv.page = 'cart' AND pv.dt >= DATE '2026-02-01'
      )
  AND NOT EXISTS (
        SELECT 1 FROM orders o
        WHERE o.user_id = u.user_id AND o.dt >= DATE '2026-02-01' AND o.status IN ('paid', 'shipped')
      )
  AND coalesce(u.age, 0) >= 18
  AND u.gender IS DISTINCT FROM 'x'
ORDER BY cart_views DESC, u.user_id
LIMIT 250
;
SELECT o.channel, o.status, count(*) AS orders, sum(t.total) AS total,
       approx_distinct(o.user_id) AS approx_users,
       avg(t.total) AS avg_total, stddev(t.total) AS sd_total,
       min(t.total) AS min_total, max(t.total) AS max_total,
       sum(t.total) FILTER (WHERE o.dt < DATE '2026-02-01') AS january_total,
       sum(t.total) FILTER (WHERE o.dt >= DATE '2026-02-01') AS later_total,
       count(*) FILTER (WHERE t.lines > 3) AS big_baskets
FROM orders o
CROSS JOIN (SELECT 1 AS one) k
JOIN (
    SELECT order_id, count(*) AS lines, sum(quantity * unit_price - discount) AS total
    FROM order_items
    GROUP BY order_id
) t ON t.order_id = o.order_id AND k.one = 1
WHERE o.dt BETWEEN DATE '2026-01-01' AND DATE '2026-03-01'
GROUP BY o.channel, o.status
ORDER BY o.channel, o.status
;
WITH RECURSIVE_free AS (
    SELECT c.category_id, c.name, c.parent_id, 1 AS level
    FROM categories c
    WHERE c.parent_id IS NULL
    UNION ALL
    SELECT c.category_id, c.name, c.parent_id, 2 AS level
    FROM categories c
    JOIN categories p ON p.category_id = c.parent_id
    WHERE p.parent_id IS NULL
), category_sales AS (
    SELECT i.category_id, sum(oi.quantity) AS units, sum(oi.quantity * oi.unit_price) AS gross
    FROM order_items oi
    JOIN items i ON i.item_id = oi.item_id
    GROUP BY i.category_id
)
SELECT r.level, r.category_id, r.name, r.parent_id,
       coalesce(cs.units, 0) AS units, coalesce(cs.gross, 0) AS gross,
       sum(coalesce(cs.gross, 0)) OVER (PARTITION BY coalesce(r.parent_id, r.category_id)) AS family_gross
FROM RECURSIVE_free r
LEFT JOIN category_sales cs ON cs.category_id = r.category_id
ORDER BY coalesce(r.parent_id, r.category_id), r.level, r.category_id
;
SELECT pv.dt, pv.ab_bucket,
       count(*) AS views,
       count(DISTINCT pv.user_id) AS users,
       count(DISTINCT pv.item_id) AS items,
       sum(CASE WHEN pv.page = 'home' THEN 1 ELSE 0 END) AS home,
       sum(CASE WHEN pv.page = 'search' THEN 1 ELSE 0 END) AS search,
       sum(CASE WHEN pv.page = 'item' THEN 1 ELSE 0 END) AS item,
       sum(CASE WHEN pv.page = 'cart' THEN 1 ELSE 0 END) AS cart,
       avg(count(*)) OVER (PARTITION BY pv.ab_bucket ORDER BY pv.dt ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) AS views_7d,
       count(*) - lag(count(*), 1, 0) OVER (PARTITION BY pv.ab_bucket ORDER BY pv.dt) AS change_1d,
       hour(min(pv.view_ts)) AS first_hour, hour(max(pv.view_ts)) AS last_hour
FROM page_views pv
WHERE pv.dt BETWEEN DATE '2026-01-01' AND DATE '2026-02-28'
  AND pv.view_ts >= TIMESTAMP '2026-01-01 00:00:00'
GROUP BY pv.dt, pv.ab_bucket
ORDER BY pv.dt, pv.ab_bucket
;
SELECT s.seller_id, s.name, s.region, s.tier,
       count(DISTINCT i.item_id) AS items,
       count(DISTINCT oi.order_id) AS orders,
       coalesce(sum(oi.quantity * oi.unit_price - oi.discount), 0) AS revenue,
       coalesce(sum(oi.quantity * oi.unit_price - oi.discount), 0) / nullif(count(DISTINCT i.item_id), 0) AS revenue_per_item,
       CASE s.tier WHEN 'gold' THEN 3 WHEN 'silver' THEN 2 ELSE 1 END AS tier_rank,
       percent_rank() OVER (ORDER BY coalesce(sum(oi.quantity * oi.unit_price - oi.discount), 0)) AS revenue_percentile,
       cume_dist() OVER (PARTITION BY s.region ORDER BY count(DISTINCT oi.order_id)) AS order_cume_dist
FROM sellers s
LEFT JOIN items i ON i.seller_id = s.seller_id
LEFT JOIN order_items oi ON oi.item_id = i.item_id AND oi.dt >= DATE '2026-01-01' AND oi.dt <= DATE '2026-03-01'
GROUP BY s.seller_id, s.name, s.region, s.tier
HAVING count(DISTINCT i.item_id) > 0
ORDER BY revenue DESC, s.seller_id
LIMIT 100
