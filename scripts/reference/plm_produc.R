# Reference values for `tfp fit` from R's plm, on the Produc panel (Munnell 1990).
#
# Run from the repository root:   Rscript scripts/reference/plm_produc.R
#
# Reads   datasets/plm/Produc.csv
# Writes  tests/fixtures/reference/plm_produc_balanced.csv     (816 rows, 48 states x 17 years)
#         tests/fixtures/reference/produc_unbalanced10.csv     (derived unbalanced data, 735 rows)
#         tests/fixtures/reference/plm_produc_unbalanced.csv   (results on that data)
#
# Model: log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp, index c("state", "year"),
# estimated as plm "pooling", "within" (individual), "within" effect = "twoways" and
# "random" (random.method = "swar", Swamy-Arora).
#
# Unbalanced variant (deterministic, no RNG): drop the data rows whose 1-based row number r
# in Produc.csv (header not counted) satisfies (r * 7919) %% 10 == 3, i.e. r = 7, 17, 27, ...,
# 807 (81 rows, about 10 %).  The kept lines are copied byte for byte from Produc.csv.
#
# Output format (long): model,term,statistic,value; values printed with sprintf("%.17g").
#   model      pooling | within | twoways | random
#   term       coefficient name, or "." for model-level statistics; for the unbalanced
#              random model, theta differs by state and is written once per state with
#              term = state name
#   statistic  estimate, std_error (classic), std_error_hc1_cluster (plm::vcovHC(m,
#              type = "HC1", cluster = "group")), std_error_hc1 (pooling only:
#              sandwich::vcovHC(lm(...), type = "HC1")); model level: n, df_residual,
#              r_squared, adj_r_squared, rss, and for random theta, sigma2_idios, sigma2_indiv

suppressPackageStartupMessages({
  library(plm)
  library(sandwich)
})
source("scripts/reference/read_exact.R")
num_cols <- c("region", "pcap", "hwy", "water", "util", "pc", "gsp", "emp", "unemp")
read_produc <- function(file) {
  d <- read_csv_exact(file, num_cols)
  d$year <- as.integer(d$year)
  d
}

in_file <- "datasets/plm/Produc.csv"
out_dir <- "tests/fixtures/reference"
if (!file.exists(in_file)) stop("run from the repository root (", in_file, " not found)")
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))

fml <- log(gsp) ~ log(pcap) + log(pc) + log(emp) + unemp

rows <- list()
add <- function(model, term, statistic, value) {
  rows[[length(rows) + 1L]] <<- data.frame(model = model, term = term,
                                           statistic = statistic, value = fmt(value),
                                           stringsAsFactors = FALSE)
}

# Independent check of plm's clustered HC1: (X'X)^-1 [sum_g X_g' u_g u_g' X_g] (X'X)^-1 * n/(n-k)
# with X the model's (transformed) design matrix, u its residuals, k = ncol(X); no G/(G-1).
check_cluster_hc1 <- function(m, V, group) {
  X <- model.matrix(m)
  u <- as.numeric(resid(m))
  n <- nrow(X); k <- ncol(X)
  B <- solve(crossprod(X))
  meat <- Reduce(`+`, lapply(split(seq_len(n), group), function(ix) {
    s <- crossprod(X[ix, , drop = FALSE], u[ix]); s %*% t(s)
  }))
  Vm <- B %*% meat %*% B * n / (n - k)
  stopifnot(max(abs(Vm - V)) <= 1e-10 * max(abs(V)))
}

# Independent check of the Swamy-Arora variance components (balanced and unbalanced; for an
# unbalanced panel plm uses the Baltagi-Chang 1994 form). With O observations, N groups of
# sizes T_i, K slopes, Z = [1, X] (O x (K+1)), group means zbar_i:
#   sigma2_idios = RSS_within / (O - N - K)
#   between regression: OLS of ybar_i on zbar_i weighted by T_i (= OLS on the group means
#   repeated T_i times), q_B = sum_i T_i e_i^2 (its residual sum of squares)
#   sigma2_indiv = (q_B - (N - K - 1) sigma2_idios) /
#                  (O - tr[(sum_i T_i zbar_i zbar_i')^-1 sum_i T_i^2 zbar_i zbar_i'])
#   (balanced: the denominator is T (N - K - 1))
#   theta_i = 1 - sqrt(sigma2_idios / (sigma2_idios + T_i sigma2_indiv))
check_swar <- function(d, group, s2) {
  mf <- model.frame(fml, data = d)
  y <- model.response(mf)
  Z <- model.matrix(fml, mf)
  O <- nrow(Z); K <- ncol(Z) - 1L
  g <- factor(group, levels = unique(group))
  N <- nlevels(g)
  Ti <- as.numeric(table(g))
  dm <- function(v) v - ave(v, g)
  Xw <- apply(Z[, -1L, drop = FALSE], 2L, dm)
  rss_w <- sum(lm.fit(Xw, dm(y))$residuals^2)
  s2_nu <- rss_w / (O - N - K)
  Zbar <- apply(Z, 2L, function(v) tapply(v, g, mean))
  ybar <- tapply(y, g, mean)
  bw <- lm.wfit(Zbar, ybar, w = Ti)
  qB <- sum(Ti * bw$residuals^2)
  A <- crossprod(Zbar * Ti, Zbar)
  B <- crossprod(Zbar * Ti^2, Zbar)
  s2_eta <- (qB - (N - K - 1) * s2_nu) / (O - sum(diag(solve(A, B))))
  stopifnot(abs(s2_nu - s2[["idios"]]) < 1e-12 * s2_nu,
            abs(s2_eta - s2[["id"]]) < 1e-10 * s2_eta)
}

run_models <- function(d) {
  rows <<- list()
  pd <- pdata.frame(d, index = c("state", "year"))
  group <- as.character(index(pd)[[1L]])
  specs <- list(pooling = list(model = "pooling", effect = "individual"),
                within  = list(model = "within",  effect = "individual"),
                twoways = list(model = "within",  effect = "twoways"),
                random  = list(model = "random",  effect = "individual"))
  for (name in names(specs)) {
    s <- specs[[name]]
    m <- if (s$model == "random") {
      plm(fml, data = pd, model = "random", effect = s$effect, random.method = "swar")
    } else {
      plm(fml, data = pd, model = s$model, effect = s$effect)
    }
    b <- coef(m)
    se <- sqrt(diag(vcov(m)))
    Vc <- vcovHC(m, type = "HC1", cluster = "group")
    check_cluster_hc1(m, Vc, group)
    sec <- sqrt(diag(Vc))
    se_lm <- NULL
    if (name == "pooling") {
      l <- lm(fml, data = d)
      stopifnot(max(abs(coef(l) - b)) < 1e-10)
      se_lm <- sqrt(diag(sandwich::vcovHC(l, type = "HC1")))
    }
    if (name %in% c("within", "twoways")) {
      # independent check: least-squares dummy variables
      ldv <- if (name == "within") lm(update(fml, . ~ . + factor(state)), data = d)
             else lm(update(fml, . ~ . + factor(state) + factor(year)), data = d)
      stopifnot(max(abs(coef(ldv)[names(b)] - b)) < 1e-10,
                abs(deviance(ldv) - deviance(m)) < 1e-10 * deviance(m),
                df.residual(ldv) == df.residual(m))
    }
    for (t in names(b)) {
      add(name, t, "estimate", b[[t]])
      add(name, t, "std_error", se[[t]])
      add(name, t, "std_error_hc1_cluster", sec[[t]])
      if (!is.null(se_lm)) add(name, t, "std_error_hc1", se_lm[[t]])
    }
    r2 <- summary(m)$r.squared
    add(name, ".", "n", length(resid(m)))
    add(name, ".", "df_residual", df.residual(m))
    add(name, ".", "r_squared", r2[["rsq"]])
    add(name, ".", "adj_r_squared", r2[["adjrsq"]])
    add(name, ".", "rss", deviance(m))
    if (name == "random") {
      e <- ercomp(m)
      s2 <- e$sigma2
      add(name, ".", "sigma2_idios", s2[["idios"]])
      add(name, ".", "sigma2_indiv", s2[["id"]])
      check_swar(d, group, s2)
      th <- if (is.list(e$theta)) e$theta$id else e$theta
      Ti <- table(group)
      th_check <- 1 - sqrt(s2[["idios"]] / (s2[["idios"]] + as.numeric(Ti) * s2[["id"]]))
      names(th_check) <- names(Ti)
      if (length(th) == 1L) {
        stopifnot(abs(th - th_check[[1L]]) < 1e-12)
        add(name, ".", "theta", th)
      } else {
        thu <- tapply(as.numeric(th), names(th), function(v) { stopifnot(diff(range(v)) == 0); v[1L] })
        stopifnot(max(abs(thu[names(th_check)] - th_check)) < 1e-12)
        for (st in sort(names(thu))) add(name, st, "theta", thu[[st]])
      }
    }
  }
  do.call(rbind, rows)
}

write_long <- function(res, file) {
  writeLines(c("model,term,statistic,value",
               paste(res$model, res$term, res$statistic, res$value, sep = ",")), file)
  message("wrote ", file, " (", nrow(res), " rows)")
}

# ---- balanced ---------------------------------------------------------------------------
d <- read_produc(in_file)
stopifnot(nrow(d) == 816L, !anyNA(d))
res_bal <- run_models(d)

# checks against the published values (plm README / datasets/plm/PROVENANCE.md)
getv <- function(res, model, term, stat)
  as.numeric(res$value[res$model == model & res$term == term & res$statistic == stat])
stopifnot(abs(getv(res_bal, "pooling", "log(pcap)", "estimate") - 0.155007) < 5e-7,
          abs(getv(res_bal, "pooling", "log(pcap)", "std_error") - 0.017154) < 5e-7,
          abs(getv(res_bal, "within", "log(pc)", "estimate") - 0.292007) < 5e-7,
          abs(getv(res_bal, "twoways", "log(emp)", "estimate") - 0.769306) < 5e-7,
          abs(getv(res_bal, "random", "(Intercept)", "estimate") - 2.135411) < 5e-7,
          abs(getv(res_bal, "random", ".", "theta") - 0.888835) < 5e-7,
          abs(getv(res_bal, "random", ".", "sigma2_idios") - 0.00145444) < 5e-9,
          abs(getv(res_bal, "random", ".", "sigma2_indiv") - 0.00683772) < 5e-9)
write_long(res_bal, file.path(out_dir, "plm_produc_balanced.csv"))

# ---- unbalanced: drop rows r with (r * 7919) %% 10 == 3 ---------------------------------
lines <- readLines(in_file)
header <- lines[1L]
body <- lines[-1L]
r <- seq_along(body)
keep <- (r * 7919) %% 10 != 3
stopifnot(sum(!keep) == 81L, all(which(!keep) == seq(7L, 807L, by = 10L)))
ub_file <- file.path(out_dir, "produc_unbalanced10.csv")
writeLines(c(header, body[keep]), ub_file)
message("wrote ", ub_file, " (", sum(keep), " data rows)")
du <- read_produc(ub_file)
stopifnot(nrow(du) == 735L, isTRUE(all.equal(du, d[keep, ], check.attributes = FALSE)))
res_unb <- run_models(du)
write_long(res_unb, file.path(out_dir, "plm_produc_unbalanced.csv"))

message(R.version.string, "; plm ", packageVersion("plm"), "; sandwich ", packageVersion("sandwich"))
