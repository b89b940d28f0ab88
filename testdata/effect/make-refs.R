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
