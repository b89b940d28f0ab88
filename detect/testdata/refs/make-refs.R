# Writes the reference results that detect's tests compare Trygg against:
# for every series, its input (NAME.csv: week_index,count) and the output of
# R's surveillance package for each method (NAME.METHOD.csv:
# week_index,count,method,upperbound,alarm, NA where R does not evaluate).
#
# Run it through scripts/make-refs, which runs it in this directory.
# Needs the Debian packages r-base-core and r-cran-surveillance.
suppressPackageStartupMessages(library(surveillance))

write_series <- function(name, counts) {
  write.csv(data.frame(week_index = seq_along(counts), count = counts),
            paste0(name, ".csv"), row.names = FALSE, quote = FALSE)
}

write_result <- function(name, method, counts, range, upper, alarm) {
  n <- length(counts)
  ub <- rep(NA_character_, n)
  al <- rep(NA_character_, n)
  ub[range] <- ifelse(is.na(upper), NA, sprintf("%.17g", upper))
  al[range] <- ifelse(is.na(alarm), NA, ifelse(alarm, "true", "false"))
  out <- data.frame(week_index = seq_len(n), count = counts, method = method,
                    upperbound = ub, alarm = al)
  write.csv(out, paste0(name, ".", method, ".csv"), row.names = FALSE,
            quote = FALSE, na = "NA")
}

ears <- function(name, counts, method, alpha) {
  s <- sts(observed = counts, frequency = 52, start = c(2000, 1))
  res <- earsC(s, control = list(method = method, baseline = 7,
                                 minSigma = 0, alpha = alpha))
  range <- res@control$range
  write_result(name, paste0("ears-", tolower(method)), counts, range,
               upperbound(res)[, 1], alarms(res)[, 1])
}

farrington <- function(name, counts, method, control) {
  s <- sts(observed = counts, frequency = 52, start = c(2000, 1))
  base <- list(b = 4, w = 3, alpha = 0.05, limit54 = c(5, 4),
               glmWarnings = FALSE)
  res <- farringtonFlexible(s, control = modifyList(base, control))
  # farringtonFlexible's default range: every week with b years and w
  # weeks of history.
  range <- (52 * base$b + base$w + 1):length(counts)
  stopifnot(nrow(res) == length(range))
  write_result(name, method, counts, range, upperbound(res)[, 1],
               alarms(res)[, 1])
}

all_methods <- function(name, counts) {
  counts <- as.integer(counts)
  write_series(name, counts)
  ears(name, counts, "C1", 0.001)
  ears(name, counts, "C2", 0.001)
  farrington(name, counts, "farrington", list(
    noPeriods = 1, weightsThreshold = 1, pastWeeksNotIncluded = 3,
    pThresholdTrend = 0.05, thresholdMethod = "delta", powertrans = "2/3"))
  farrington(name, counts, "noufaily", list(
    noPeriods = 10, weightsThreshold = 2.58, pastWeeksNotIncluded = 26,
    pThresholdTrend = 1, thresholdMethod = "nbPlugin"))
}

# Synthetic series: six years of weeks each, drawn with a fixed seed.
set.seed(20240601)
weeks <- 1:(6 * 52)
season <- function(amplitude) amplitude * sin(2 * pi * weeks / 52) +
  amplitude / 2 * cos(2 * pi * weeks / 52)
outbreak <- function(at, size) {
  extra <- numeric(length(weeks))
  extra[at:(at + 4)] <- rpois(5, size * c(0.5, 1, 1.5, 1, 0.5))
  extra
}

all_methods("synthetic-flat", rpois(length(weeks), 6))
all_methods("synthetic-seasonal", rpois(length(weeks), exp(1.8 + season(0.7))))
all_methods("synthetic-seasonal-outbreaks",
            rpois(length(weeks), exp(1.8 + season(0.7))) +
              outbreak(120, 10) + outbreak(250, 14) + outbreak(290, 12))
all_methods("synthetic-trend-overdispersed",
            rnbinom(length(weeks), size = 4,
                    mu = exp(1.2 + 0.004 * weeks + season(0.4))) +
              outbreak(270, 15))
all_methods("synthetic-sparse",
            rpois(length(weeks), exp(-0.7 + season(0.5))) + outbreak(280, 3))

# Real data sets bundled with surveillance, all weekly.
data("salmonella.agona")
all_methods("salmonella-agona", salmonella.agona$observed)
data("campyDE")
all_methods("campyDE", campyDE$case)
data("shadar")
all_methods("shadar", shadar$observed)
data("ha")
all_methods("hepatitis-a-berlin", rowSums(ha$observed))
data("stsNewport")
all_methods("salmonella-newport", observed(stsNewport)[, 1])
