/* Copied unchanged (below this line) from the project's peer benchmark harness,
 * ../shared/benchmarks/gen/gen_panel.c, so that benchmarks/ runs on its own. */
/* gen_panel.c - deterministic synthetic productivity panel (CSV) for peer benchmarks.
 *
 * Data-generating process (true Cobb-Douglas):
 *   log Y_it = a_i + 0.35 log K_it + 0.60 log L_it + 0.015 t + e_it,  e_it ~ N(0, e_sd^2)
 *   a_i  = sector effect + unit effect (a_i is correlated with K and L, so pooled OLS is
 *          biased and the within/FE estimator recovers 0.35 / 0.60 / 0.015)
 *   K    : perpetual inventory, K_{t+1} = (1-delta) K_t + I_t, delta = 0.08,
 *          I_t = K_t (delta + g_it), g_it ~ N(g_mean, g_sd^2) truncated at -0.07
 *   L    : log L_it = l_i + l_trend t + u_it, u AR(1) rho 0.7, sd u_sd
 *   firm : e_sd 0.10, g ~ N(0.04, 0.05^2), l_trend 0.01, u_sd 0.10
 *   prov : e_sd 0.02, g ~ N(0.09, 0.02^2), l_trend 0.02, u_sd 0.02 (smooth aggregates)
 *   labour_share ~ 0.60 exp(N(0, 0.1^2)) clipped to [0.05, 0.95]
 * Columns: id,year,sector,output,capital,labour,investment,labour_share
 *
 * Modes:
 *   gen_panel firm ROWS [OUT.csv] [--years T] [--seed S]
 *        ROWS/T firms (T default 20, years 2000..), sector "S01".."S20" (constant per firm).
 *        The panel unit is id.
 *   gen_panel prov [OUT.csv] [--provinces P] [--sectors S] [--years T] [--seed S]
 *        P x S x T rows (default 63 x 3 x 35, years 1990..), sector AGR/IND/SER;
 *        the panel unit is (id, sector), id = province.
 * Output goes to stdout when OUT is absent or "-". Same arguments -> same bytes
 * (own splitmix64/xoshiro256** RNG, Box-Muller normals, fixed printf formats).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double TWO_PI = 6.283185307179586;
static uint64_t s[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next(void) { /* xoshiro256** */
    uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45);
    return r;
}
static void seed_rng(uint64_t x) {
    for (int i = 0; i < 4; i++) { /* splitmix64 */
        uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        s[i] = z ^ (z >> 31);
    }
}
static double unif(void) { return ((next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); } /* (0,1) */
static double norm(void) {
    static int have = 0; static double keep;
    if (have) { have = 0; return keep; }
    double u1 = unif(), u2 = unif(), r = sqrt(-2.0 * log(u1));
    keep = r * sin(TWO_PI * u2); have = 1;
    return r * cos(TWO_PI * u2);
}

static const double BK = 0.35, BL = 0.60, BT = 0.015, DELTA = 0.08;

/* growth and noise settings of one kind of panel unit */
struct dgp { double kscale, lscale, g_mean, g_sd, l_trend, u_sd, e_sd; };
/* firms: noisy, modest growth; provinces: smooth aggregates growing like an emerging economy */
static const struct dgp FIRM = {3.0, 2.0, 0.04, 0.05, 0.01, 0.10, 0.10};
static const struct dgp PROV = {10.0, 6.0, 0.09, 0.02, 0.02, 0.02, 0.02};

/* one panel unit: T consecutive years */
static void unit_rows(FILE *f, long id, const char *sector, double sector_eff, int year0, int T,
                      const struct dgp *q) {
    double a = sector_eff + 0.4 * norm();
    double lk = q->kscale + 1.5 * norm() + 0.8 * a;
    double l0 = q->lscale + 1.0 * norm() + 0.5 * a;
    double u = q->u_sd * norm();
    for (int t = 0; t < T; t++) {
        double K = exp(lk);
        double ll = l0 + q->l_trend * t + u, L = exp(ll);
        double ly = a + BK * lk + BL * ll + BT * t + q->e_sd * norm();
        double g = q->g_mean + q->g_sd * norm(); if (g < -0.07) g = -0.07;
        double I = K * (DELTA + g);
        double sh = 0.60 * exp(0.1 * norm()); if (sh < 0.05) sh = 0.05; if (sh > 0.95) sh = 0.95;
        fprintf(f, "%ld,%d,%s,%.9g,%.9g,%.9g,%.9g,%.4f\n", id, year0 + t, sector, exp(ly), K, L, I, sh);
        lk += log1p(g);                                   /* K_{t+1} = K_t (1 + g) */
        u = 0.7 * u + q->u_sd * sqrt(1 - 0.49) * norm();
    }
}

static void usage(void) {
    fprintf(stderr, "usage: gen_panel firm ROWS [OUT.csv|-] [--years T] [--seed S]\n"
                    "       gen_panel prov [OUT.csv|-] [--provinces P] [--sectors S] [--years T] [--seed S]\n");
    exit(2);
}

int main(int argc, char **argv) {
    if (argc < 2) usage();
    int firm = !strcmp(argv[1], "firm");
    if (!firm && strcmp(argv[1], "prov")) usage();
    double rows = 0; const char *out = "-";
    int T = firm ? 20 : 35, P = 63, S = 3; uint64_t seed = firm ? 20240601 : 19900101;
    int pos = 0;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--years") && i + 1 < argc) T = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], 0, 10);
        else if (!strcmp(argv[i], "--provinces") && i + 1 < argc) P = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--sectors") && i + 1 < argc) S = atoi(argv[++i]);
        else if (argv[i][0] == '-' && argv[i][1]) usage();
        else if (firm && pos == 0) { rows = strtod(argv[i], 0); pos++; }   /* accepts 1e6 */
        else out = argv[i];
    }
    if (T < 2 || (firm && rows < T) || P < 1 || S < 1 || S > 3 * 26) usage();
    FILE *f = strcmp(out, "-") ? fopen(out, "w") : stdout;
    if (!f) { perror(out); return 1; }
    static char buf[1 << 20]; setvbuf(f, buf, _IOFBF, sizeof buf);
    seed_rng(seed);
    fputs("id,year,sector,output,capital,labour,investment,labour_share\n", f);
    long n = 0;
    if (firm) {
        long nfirm = (long)(rows / T);
        double seff[20]; for (int k = 0; k < 20; k++) seff[k] = 0.3 * norm();
        for (long i = 1; i <= nfirm; i++) {
            int k = (int)(unif() * 20); char sec[16]; snprintf(sec, sizeof sec, "S%02d", k + 1);
            unit_rows(f, i, sec, seff[k], 2000, T, &FIRM);
        }
        n = nfirm * T;
    } else {
        static const char *names[3] = {"AGR", "IND", "SER"};
        double seff[3 * 26];
        for (int k = 0; k < S; k++) seff[k] = 0.3 * norm();
        for (long p = 1; p <= P; p++)
            for (int k = 0; k < S; k++) {
                char sec[16];
                if (S <= 3) snprintf(sec, sizeof sec, "%s", names[k]); else snprintf(sec, sizeof sec, "X%02d", k + 1);
                unit_rows(f, p, sec, seff[k], 1990, T, &PROV);
            }
        n = (long)P * S * T;
    }
    if (fflush(f) || (f != stdout && fclose(f))) { perror(out); return 1; }
    fprintf(stderr, "gen_panel: %ld rows written to %s\n", n, out);
    return 0;
}
