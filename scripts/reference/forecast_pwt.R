# Independent reference forecasts (base R only: lm, arima, HoltWinters, optim) for tfp's
# forecast models, include/tfp/forecast.h, on the gso growth series of the Penn World Table
# 9.1 extract.
#
# Run from the repository root:   Rscript scripts/reference/forecast_pwt.R
# (after growth_pwt.R, whose tests/fixtures/reference/pwt_gso_annual.csv it reads).
#
# Series: tfp_growth and labour_productivity_growth of each region (simple growth rates,
# computed by growth_pwt.R), the longest run of consecutive years with a value that ends at the
# last one. Models on the log growth x = log1p(g) and the log level z = (0, cumsum(x)),
# forecasts mapped back by expm1; 80 % normal intervals for the growth of each year ahead.
#   drift  x-hat = mean(x);                         se^2 = s^2 (1 + 1/m), s = sd(x)
#   trend  lm(z ~ t), t = 0..m: year 1: predict(z_{m+1}) - z_m, se^2 = se.fit^2 + sigma^2;
#          later: slope, se^2 = 2 sigma^2 + Var(slope)
#   ar1    lm(x_t ~ x_{t-1}) (conditional least squares); point forecasts checked against
#          predict(arima(x, c(1,0,0), method = "CSS")); se^2 = sigma^2 sum phi^(2j)
#   holt   HoltWinters(z, gamma = FALSE) starts from l = z_1, b = z_1 - z_0 (the same start
#          as tfp; checked: its SSE equals this script's filter's) and minimises the one-step
#          SSE with L-BFGS-B; that optimum and Nelder-Mead runs from a grid (see fit_holt)
#          are polished by optim's Nelder-Mead and the lowest SSE is kept.
#          Year 1: l + b - z_m; later: b; variances from the innovation weights
#          psi_j = alpha + j alpha beta* (FPP3 Table 8.8), differenced between steps.
# Backtest: origins o = 8..m-1 (training x_1..x_o), forecasts 1..3 years ahead; MAE, RMSE and
# MAPE of the simple growth rates.
#
# Writes tests/fixtures/reference/
#   forecast_pwt.csv            region,series,model,h,forecast,lower,upper,p1,p2,sigma
#                               (p1, p2: drift mean,-; trend c0,c1; ar1 c,phi; holt alpha,beta*)
#   forecast_pwt_backtest.csv   region,series,model,h,n,mae,rmse,mape
# Numbers with sprintf("%.17g").

in_file <- "tests/fixtures/reference/pwt_gso_annual.csv"
out_dir <- "tests/fixtures/reference"
if (!file.exists(in_file)) stop("run from the repository root after growth_pwt.R")

fmt <- function(x) ifelse(is.na(x) | !is.finite(x), "", sprintf("%.17g", x))
write_plain <- function(df, file) {
  cols <- lapply(df, function(v) if (is.numeric(v) && !is.integer(v)) fmt(v)
                                 else ifelse(is.na(v), "", as.character(v)))
  writeLines(c(paste(names(df), collapse = ","), do.call(paste, c(cols, sep = ","))), file)
  message("wrote ", file, " (", nrow(df), " rows)")
}

d <- read.csv(in_file, colClasses = c(region = "character"))
level <- 0.80
zq <- qnorm(0.5 + level / 2)
H <- 3L
min_train <- 8L

trailing_run <- function(g) {
  ok <- !is.na(g)
  end <- max(which(ok))
  s <- end
  while (s > 1 && ok[s - 1]) s <- s - 1
  g[s:end]
}

# Each returns list(mu = log-scale forecasts (H), se = their standard errors, p = params, sigma)
fit_drift <- function(x, h) {
  m <- length(x); s <- sd(x)
  list(mu = rep(mean(x), h), se = rep(s * sqrt(1 + 1 / m), h), p = c(mean(x), NA), sigma = s)
}
fit_trend <- function(x, h) {
  m <- length(x); z <- c(0, cumsum(x)); t <- 0:m
  f <- lm(z ~ t); s <- summary(f)$sigma
  p1 <- predict(f, data.frame(t = m + 1), se.fit = TRUE)
  mu <- c(unname(p1$fit) - z[m + 1], rep(unname(coef(f)[2]), h - 1))
  se <- c(sqrt(p1$se.fit^2 + s^2), rep(sqrt(2 * s^2 + vcov(f)[2, 2]), h - 1))
  list(mu = mu[1:h], se = se[1:h], p = unname(coef(f)), sigma = s)
}
fit_ar1 <- function(x, h, check = FALSE) {
  m <- length(x); y <- x[-1]; xl <- x[-m]
  f <- lm(y ~ xl); cc <- unname(coef(f)); s <- summary(f)$sigma
  mu <- numeric(h); v <- numeric(h); prev <- x[m]; acc <- 0
  for (k in 1:h) {
    mu[k] <- cc[1] + cc[2] * prev; prev <- mu[k]
    acc <- acc + cc[2]^(2 * (k - 1)); v[k] <- s^2 * acc
  }
  if (check) {
    a <- arima(x, order = c(1, 0, 0), method = "CSS", optim.control = list(reltol = 1e-14))
    pa <- predict(a, n.ahead = h)$pred
    stopifnot(max(abs(pa - mu)) < 1e-7)
  }
  list(mu = mu, se = sqrt(v), p = cc, sigma = s)
}
holt_filter <- function(z, alpha, bstar) {
  l <- z[1]; b <- z[2] - z[1]; sse <- 0; e <- 0
  for (t in 2:length(z)) {
    pred <- l + b; e <- z[t] - pred
    l <- pred + alpha * e; b <- b + alpha * bstar * e
    if (t >= 3) sse <- sse + e^2
  }
  list(l = l, b = b, e = e, sse = sse)
}
fit_holt <- function(x, h) {
  m <- length(x); z <- c(0, cumsum(x))
  hw <- HoltWinters(ts(z), gamma = FALSE)
  # HoltWinters' own SSE at its optimum equals this filter's: the same recursion and start.
  stopifnot(abs(holt_filter(z, hw$alpha, hw$beta)$sse - hw$SSE) <= 1e-10 * hw$SSE)
  lg <- function(p) log(p / (1 - p))
  obj <- function(u) holt_filter(z, plogis(u[1]), plogis(u[2]))$sse
  # The SSE has local minima (a corner at alpha = 1, beta* = 0 on short series), so the
  # candidates are HoltWinters' optimum and optim's Nelder-Mead from the best point of a
  # 10 x 10 grid in each quadrant of the (alpha, beta*) square; every candidate is polished by
  # Nelder-Mead on the logits (reltol 1e-14) and the lowest SSE wins.
  grid <- (0:9 + 0.5) / 10
  starts <- list(pmin(pmax(unname(c(hw$alpha, hw$beta)), 1e-6), 1 - 1e-6))
  for (qa in 0:1) for (qb in 0:1) {
    ga <- grid[(1:5) + 5 * qa]; gb <- grid[(1:5) + 5 * qb]
    v <- outer(ga, gb, Vectorize(function(a, b) holt_filter(z, a, b)$sse))
    k <- which(v == min(v), arr.ind = TRUE)[1, ]
    starts[[length(starts) + 1]] <- c(ga[k[1]], gb[k[2]])
  }
  best <- list(value = Inf)
  for (st in starts) {
    o <- optim(lg(st), obj, method = "Nelder-Mead", control = list(reltol = 1e-14, maxit = 20000))
    for (rep in 1:5)  # restart from the best point (a collapsed simplex)
      o <- optim(o$par, obj, method = "Nelder-Mead", control = list(reltol = 1e-14, maxit = 20000))
    # A boundary optimum (HoltWinters at 0 or 1) the logits cannot reach: keep the start.
    if (obj(lg(st)) < o$value) o <- list(par = lg(st), value = obj(lg(st)))
    if (o$value < best$value) best <- o
  }
  alpha <- plogis(best$par[1]); bstar <- plogis(best$par[2])
  hf <- holt_filter(z, alpha, bstar)
  s2 <- hf$sse / (m - 3); beta <- alpha * bstar
  mu <- c(hf$l + hf$b - z[m + 1], rep(hf$b, h - 1))[1:h]
  # level error weights: w_{k,k} = 1, w_{k,i} = alpha + beta (k - i), i < k
  v <- sapply(1:h, function(k) {
    wk <- c(if (k > 1) alpha + beta * ((k - 1):1) else numeric(0), 1)
    wk1 <- c(if (k > 2) alpha + beta * ((k - 2):1) else numeric(0), if (k > 1) 1 else numeric(0),
             0)
    s2 * sum((wk - wk1)^2)
  })
  list(mu = mu, se = sqrt(v), p = c(alpha, bstar), sigma = sqrt(s2))
}
models <- list(drift = fit_drift, trend = fit_trend, ar1 = fit_ar1, holt = fit_holt)

fc <- list(); bt <- list()
for (reg in sort(unique(d$region))) {
  for (series in c("tfp_growth", "labour_productivity_growth")) {
    g <- trailing_run(d[[series]][d$region == reg])
    x <- log1p(g); m <- length(x)
    for (mod in names(models)) {
      f <- if (mod == "ar1") fit_ar1(x, H, check = TRUE) else models[[mod]](x, H)
      fc[[length(fc) + 1]] <- data.frame(
        region = reg, series = series, model = mod, h = 1:H,
        forecast = expm1(f$mu), lower = expm1(f$mu - zq * f$se), upper = expm1(f$mu + zq * f$se),
        p1 = f$p[1], p2 = f$p[2], sigma = f$sigma, stringsAsFactors = FALSE)
      err <- matrix(NA_real_, 0, 2)
      e <- vector("list", H)
      for (o in min_train:(m - 1)) {
        steps <- min(H, m - o)
        ff <- models[[mod]](x[1:o], steps)
        for (k in 1:steps) {
          a <- g[o + k]; e[[k]] <- rbind(e[[k]], c(a - expm1(ff$mu[k]), a))
        }
      }
      for (k in 1:H) {
        ek <- e[[k]]
        bt[[length(bt) + 1]] <- data.frame(
          region = reg, series = series, model = mod, h = k, n = nrow(ek),
          mae = mean(abs(ek[, 1])), rmse = sqrt(mean(ek[, 1]^2)),
          mape = if (any(ek[, 2] == 0)) NA else mean(abs(ek[, 1] / ek[, 2])),
          stringsAsFactors = FALSE)
      }
    }
  }
}
fc <- do.call(rbind, fc); bt <- do.call(rbind, bt)
fc$h <- as.integer(fc$h); bt$h <- as.integer(bt$h); bt$n <- as.integer(bt$n)
write_plain(fc, file.path(out_dir, "forecast_pwt.csv"))
write_plain(bt, file.path(out_dir, "forecast_pwt_backtest.csv"))
