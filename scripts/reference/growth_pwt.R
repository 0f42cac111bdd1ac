# Independent reference implementation (base R only) of tfp's growth accounting, DESIGN.md
# section 3, on the Penn World Table 9.1 extract datasets/pwt/pwt_asia5.csv.
#
# Run from the repository root:   Rscript scripts/reference/growth_pwt.R
#
# Writes tests/fixtures/reference/
#   pwt_gso_annual.csv        method gso: simple growth g = X_t/X_{t-1} - 1, constant capital
#                             share a = 0.4; Y = rgdpna, K = rnna (capital stock),
#                             L = emp (persons)
#   pwt_gso_summary.csv       period summary, from 2013 to 2017 (base 2012, n = 5): compound
#                             average growth (X_2017/X_2012)^(1/5) - 1
#   pwt_gso_targets.csv       targets lp_growth >= 0.125 (met/below) and TFP share band
#                             0.30..0.35 (below/within/above) for the period and last year
#   pwt_tornqvist_annual.csv  method tornqvist: log growth g = ln X_t - ln X_{t-1},
#                             a_t = 1 - (labsh_t + labsh_{t-1})/2; Y = rgdpna,
#                             K = rkna (capital services), L = emp * avh * hc;
#                             plus rtfpna_log_growth = ln(rtfpna_t / rtfpna_{t-1})
# Region = countrycode. A year's growth needs the previous calendar year (t-1) of the same
# region with both values present; anything undefined is an empty field.
# Numbers are printed with sprintf("%.17g"); CSVs are plain (header + rows).

in_file <- "datasets/pwt/pwt_asia5.csv"
out_dir <- "tests/fixtures/reference"
if (!file.exists(in_file)) stop("run from the repository root (", in_file, " not found)")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x) | !is.finite(x), "", sprintf("%.17g", x))

write_plain <- function(df, file) {
  cols <- lapply(df, function(v) if (is.numeric(v) && !is.integer(v)) fmt(v)
                                 else ifelse(is.na(v), "", as.character(v)))
  writeLines(c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ","))), file)
  message("wrote ", file, " (", nrow(df), " rows)")
}

source("scripts/reference/read_exact.R")
d <- read_csv_exact(in_file, c("rgdpna", "rkna", "rnna", "emp", "avh", "hc", "labsh",
                               "delta", "rtfpna"))
d$year <- as.integer(d$year)
d <- d[order(d$countrycode, d$year), ]
stopifnot(nrow(d) == 340L, !anyDuplicated(d[c("countrycode", "year")]))

# value of column v in year t-1 of the same region (NA when that year is absent)
lag1 <- function(v) {
  key <- paste(d$countrycode, d$year)
  v[match(paste(d$countrycode, d$year - 1L), key)]
}
# NA where a value is missing or non-positive (no growth of a non-positive level)
pos <- function(v) ifelse(!is.na(v) & v > 0, v, NA_real_)
simple_growth <- function(v) { v <- pos(v); v / lag1(v) - 1 }
log_growth <- function(v) { v <- pos(v); log(v) - log(lag1(v)) }
safe_div <- function(a, b) ifelse(!is.na(b) & b != 0, a / b, NA_real_)

# ---- (a) gso ----------------------------------------------------------------------------
a <- 0.4
Y <- d$rgdpna; K <- d$rnna; L <- d$emp
LP <- safe_div(Y, L)
gY <- simple_growth(Y); gK <- simple_growth(K); gL <- simple_growth(L)
tfp <- gY - a * gK - (1 - a) * gL
gso <- data.frame(
  region = d$countrycode, year = d$year,
  output_growth = gY, labour_growth = gL, capital_growth = gK,
  capital_contribution = a * gK, labour_contribution = (1 - a) * gL,
  tfp_growth = tfp, tfp_share = safe_div(tfp, gY),
  labour_productivity = LP, labour_productivity_growth = simple_growth(LP),
  stringsAsFactors = FALSE)
write_plain(gso, file.path(out_dir, "pwt_gso_annual.csv"))

from <- 2013L; to <- 2017L; base <- from - 1L; n <- to - base
lp_goal <- 0.125; tfp_lo <- 0.30; tfp_hi <- 0.35
summ <- list(); targ <- list()
for (reg in sort(unique(d$countrycode))) {
  at <- function(v, yr) v[d$countrycode == reg & d$year == yr]
  cagr <- function(v) (at(v, to) / at(v, base))^(1 / n) - 1
  aY <- cagr(Y); aL <- cagr(L); aK <- cagr(K); aLP <- cagr(LP)
  aA <- aY - a * aK - (1 - a) * aL
  share_last <- gso$tfp_share[gso$region == reg & gso$year == to]
  summ[[reg]] <- data.frame(
    region = reg, from = from, to = to, years = n,
    output_growth = aY, labour_growth = aL, capital_growth = aK, capital_share = a,
    tfp_growth = aA, capital_contribution_share = a * aK / aY,
    labour_contribution_share = (1 - a) * aL / aY, tfp_share = aA / aY,
    tfp_share_last_year = share_last, labour_productivity_growth = aLP,
    stringsAsFactors = FALSE)
  band <- function(v) if (v < tfp_lo) "below" else if (v > tfp_hi) "above" else "within"
  targ[[reg]] <- data.frame(
    region = reg,
    target = c("lp_growth", "tfp_share_period", "tfp_share_last_year"),
    value = c(aLP, aA / aY, share_last),
    goal_low = c(lp_goal, tfp_lo, tfp_lo),
    goal_high = c(NA, tfp_hi, tfp_hi),
    status = c(if (aLP >= lp_goal) "met" else "below", band(aA / aY), band(share_last)),
    required_growth = NA_real_,
    stringsAsFactors = FALSE)
}
summ <- do.call(rbind, summ); targ <- do.call(rbind, targ)
stopifnot(!anyNA(summ), !anyNA(targ$value))
summ$from <- as.integer(summ$from); summ$to <- as.integer(summ$to)
summ$years <- as.integer(summ$years)
write_plain(summ, file.path(out_dir, "pwt_gso_summary.csv"))
write_plain(targ, file.path(out_dir, "pwt_gso_targets.csv"))

# ---- (b) tornqvist ----------------------------------------------------------------------
Lq <- d$emp * d$avh * d$hc
gY <- log_growth(d$rgdpna); gK <- log_growth(d$rkna); gL <- log_growth(Lq)
sbar <- (d$labsh + lag1(d$labsh)) / 2
at <- 1 - sbar
tq <- data.frame(
  region = d$countrycode, year = d$year,
  output_growth = gY, labour_growth = gL, capital_growth = gK, capital_share = at,
  tfp_growth = gY - at * gK - (1 - at) * gL,
  rtfpna_log_growth = log(pos(d$rtfpna) / lag1(pos(d$rtfpna))),
  stringsAsFactors = FALSE)
write_plain(tq, file.path(out_dir, "pwt_tornqvist_annual.csv"))

hours_both <- !is.na(d$avh) & !is.na(lag1(d$avh))
ok <- hours_both & !is.na(tq$tfp_growth) & !is.na(tq$rtfpna_log_growth)
err <- abs(tq$tfp_growth - tq$rtfpna_log_growth)[ok]
message(sprintf("tornqvist vs rtfpna (avh in both years): %d pairs, max |error| = %.3g, mean %.3g",
                sum(ok), max(err), mean(err)))
stopifnot(max(err) < 1e-6)
message(R.version.string)
