# Reference values for trygg.PoissonRateRatio and trygg.CompareSeasons,
# computed with R's own poisson.test (package stats). Run from this
# directory with Debian's r-base-core:
#
#   Rscript make-refs.R
#
# and commit the CSV files it writes.
cases <- data.frame(
  x1 = c(11, 0, 5, 12, 30, 3, 40, 100, 250, 7, 1, 0, 18, 1200, 9),
  x2 = c(21, 4, 0, 12, 10, 17, 60, 130, 200, 7, 0, 1, 25, 1300, 1),
  t1 = c(800, 12, 12, 8, 12, 4, 6, 12, 12, 2, 1, 3, 4, 12, 5),
  t2 = c(3011, 12, 12, 8, 12, 4, 6, 12, 12, 2, 1, 3, 4, 12, 5)
)
out <- do.call(rbind, lapply(seq_len(nrow(cases)), function(i) {
  c <- cases[i, ]
  r <- poisson.test(c(c$x1, c$x2), c(c$t1, c$t2))
  data.frame(x1 = c$x1, x2 = c$x2, t1 = c$t1, t2 = c$t2,
             estimate = unname(r$estimate), lower = r$conf.int[1], upper = r$conf.int[2], p = r$p.value)
}))
write.csv(out, "poisson_test.csv", row.names = FALSE)

# Seasonal ratio: the ratio of two rate ratios with a Wald interval on the
# log scale, from a Poisson GLM with an interaction term (equal exposures).
seasons <- data.frame(
  a = c(30, 12, 80, 5), b = c(40, 10, 100, 9), c = c(35, 14, 90, 6), d = c(38, 9, 95, 7)
)
out2 <- do.call(rbind, lapply(seq_len(nrow(seasons)), function(i) {
  s <- seasons[i, ]
  d <- data.frame(y = c(s$a, s$b, s$c, s$d), after = c(1, 0, 1, 0), now = c(1, 1, 0, 0))
  f <- glm(y ~ after * now, family = poisson, data = d)
  est <- coef(f)["after:now"]
  se <- sqrt(vcov(f)["after:now", "after:now"])
  z <- qnorm(0.975)
  data.frame(after = s$a, before = s$b, after_year_ago = s$c, before_year_ago = s$d,
             estimate = exp(est), lower = exp(est - z * se), upper = exp(est + z * se))
}))
write.csv(out2, "seasonal.csv", row.names = FALSE)

# Measured series: Welch's two-sample t-test (R's default t.test) on the
# values after against those before, and a difference in differences
# with the Welch-Satterthwaite degrees of freedom over the four groups,
# written out from its definition with R's own t quantiles. Groups are
# written as space-separated values; the after-a-year-earlier and
# before-a-year-earlier groups are empty for the plain Welch cases.
welch_cases <- list(
  list(a = c(72, 75, 78, 74), b = c(68, 70, 66, 71)),
  list(a = c(0.61, 0.64, 0.59, 0.66, 0.63, 0.65), b = c(0.58, 0.57, 0.60, 0.62, 0.59, 0.61)),
  list(a = c(3.2, 2.9, 3.5), b = c(3.1, 3.3, 3.0, 3.4, 2.8)),
  list(a = c(12, 14, 11, 13, 15, 12, 14, 13, 12, 16, 11, 13), b = c(18, 17, 19, 16, 20, 18, 17, 19, 21, 18, 16, 17)),
  list(a = c(-1.5, 0.2, 1.1), b = c(2.5, 2.4, 2.6)),
  list(a = c(72, 75, 78, 74), b = c(68, 70, 66, 71), c = c(69, 71, 70, 73), d = c(67, 69, 68, 70)),
  list(a = c(0.61, 0.64, 0.59, 0.66), b = c(0.58, 0.57, 0.60, 0.62), c = c(0.55, 0.60, 0.58), d = c(0.56, 0.59, 0.57, 0.55, 0.6))
)
join <- function(x) if (is.null(x)) "" else paste(format(x, digits = 15), collapse = " ")
out3 <- do.call(rbind, lapply(welch_cases, function(k) {
  if (is.null(k$c)) {
    r <- t.test(k$a, k$b)
    res <- c(unname(r$estimate[1] - r$estimate[2]), r$conf.int[1], r$conf.int[2], unname(r$parameter), r$p.value)
  } else {
    g <- list(k$a, k$b, k$c, k$d)
    s <- c(1, -1, -1, 1)
    est <- sum(s * sapply(g, mean))
    v <- sapply(g, function(x) var(x) / length(x))
    se <- sqrt(sum(v))
    df <- sum(v)^2 / sum(v^2 / (sapply(g, length) - 1))
    q <- qt(0.975, df)
    res <- c(est, est - q * se, est + q * se, df, 2 * pt(-abs(est / se), df))
  }
  data.frame(after = join(k$a), before = join(k$b), after_year_ago = join(k$c), before_year_ago = join(k$d),
             estimate = res[1], lower = res[2], upper = res[3], df = res[4], p = res[5])
}))
write.csv(out3, "welch.csv", row.names = FALSE)
