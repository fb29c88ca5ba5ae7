/*
 * DdpmGroupNormSilu: y = SiLU(GroupNorm(x)) over an NHWC tensor in one CPU kernel, registered with TensorFlow through
 * its stable C kernel API (tensorflow/c/kernels.h, tensorflow/c/ops.h) when the library is loaded.
 *
 * TensorFlow's own ops take seven passes over each activation for the two (sums of x and x², scale, shift, sigmoid,
 * product) and, under the oneDNN bf16 rewrite, stay float32 behind casts; this kernel takes three (statistics, then
 * normalise-and-activate, reading x twice and writing y once) in float32 or bfloat16.
 *
 * The jar carries no TensorFlow headers, so the few C API functions used are declared here from the API's documented
 * signatures; they are resolved against libtensorflow_framework.so.2, which the process has loaded before this
 * library (see FusedKernels.java).
 */
#define _GNU_SOURCE
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct TF_Status TF_Status;
typedef struct TF_Tensor TF_Tensor;
typedef struct TF_OpKernelConstruction TF_OpKernelConstruction;
typedef struct TF_OpKernelContext TF_OpKernelContext;
typedef struct TF_KernelBuilder TF_KernelBuilder;
typedef struct TF_OpDefinitionBuilder TF_OpDefinitionBuilder;
typedef struct TF_ShapeInferenceContext TF_ShapeInferenceContext;
typedef struct TF_ShapeHandle TF_ShapeHandle;
enum { TF_FLOAT = 1, TF_BFLOAT16 = 14 };
enum { TF_OK = 0, TF_INVALID_ARGUMENT = 3 };

TF_Status* TF_NewStatus(void);
void TF_DeleteStatus(TF_Status*);
int TF_GetCode(const TF_Status*);
void TF_SetStatus(TF_Status*, int, const char*);
TF_OpDefinitionBuilder* TF_NewOpDefinitionBuilder(const char*);
void TF_OpDefinitionBuilderAddInput(TF_OpDefinitionBuilder*, const char*);
void TF_OpDefinitionBuilderAddOutput(TF_OpDefinitionBuilder*, const char*);
void TF_OpDefinitionBuilderAddAttr(TF_OpDefinitionBuilder*, const char*);
void TF_OpDefinitionBuilderSetShapeInferenceFunction(TF_OpDefinitionBuilder*,
    void (*)(TF_ShapeInferenceContext*, TF_Status*));
void TF_RegisterOpDefinition(TF_OpDefinitionBuilder*, TF_Status*);
TF_ShapeHandle* TF_NewShapeHandle(void);
void TF_DeleteShapeHandle(TF_ShapeHandle*);
void TF_ShapeInferenceContextGetInput(TF_ShapeInferenceContext*, int, TF_ShapeHandle*, TF_Status*);
void TF_ShapeInferenceContextSetOutput(TF_ShapeInferenceContext*, int, TF_ShapeHandle*, TF_Status*);
TF_KernelBuilder* TF_NewKernelBuilder(const char*, const char*, void* (*)(TF_OpKernelConstruction*),
    void (*)(void*, TF_OpKernelContext*), void (*)(void*));
void TF_KernelBuilder_TypeConstraint(TF_KernelBuilder*, const char*, int, TF_Status*);
void TF_RegisterKernelBuilder(const char*, TF_KernelBuilder*, TF_Status*);
void TF_OpKernelConstruction_GetAttrInt32(TF_OpKernelConstruction*, const char*, int32_t*, TF_Status*);
void TF_OpKernelConstruction_GetAttrFloat(TF_OpKernelConstruction*, const char*, float*, TF_Status*);
void TF_OpKernelConstruction_Failure(TF_OpKernelConstruction*, TF_Status*);
void TF_GetInput(TF_OpKernelContext*, int, TF_Tensor**, TF_Status*);
TF_Tensor* TF_AllocateOutput(TF_OpKernelContext*, int, int, const int64_t*, int, size_t, TF_Status*);
void TF_OpKernelContext_Failure(TF_OpKernelContext*, TF_Status*);
int TF_NumDims(const TF_Tensor*);
int64_t TF_Dim(const TF_Tensor*, int);
int TF_TensorType(const TF_Tensor*);
void* TF_TensorData(const TF_Tensor*);
void TF_DeleteTensor(TF_Tensor*);

#define OP_NAME "DdpmGroupNormSilu"

typedef struct {
  int32_t groups;
  float epsilon;
} Attrs;

/* Images [first, last) of one call: the share of one thread. */
typedef struct {
  const void* x;
  void* y;
  const float* gamma;
  const float* beta;
  int64_t first, last, pixels;
  int channels, groups;
  float epsilon;
} Slice;

static inline float from_bf16(uint16_t bits) {
  union { uint32_t u; float f; } v = {.u = (uint32_t) bits << 16};
  return v.f;
}

/* Round to nearest even, as TensorFlow's own float → bfloat16 cast does. */
static inline uint16_t to_bf16(float value) {
  union { float f; uint32_t u; } v = {.f = value};
  return (uint16_t) ((v.u + 0x7FFF + ((v.u >> 16) & 1)) >> 16);
}

#define SAME(v) (v)

/*
 * One function per element type; each is compiled for AVX-512, AVX2+FMA and baseline x86-64 and picked at load
 * (gcc's target_clones), so one library runs fast on every x86-64 CPU. The sums are taken of x minus the image's first
 * pixel, per channel: E[x²] − E[x]² then loses no digits to a mean far from 0.
 */
#define NORMALISE(NAME, TYPE, LOAD, STORE)                                                                  \
  __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))                             \
  static void NAME(const Slice* s, float* work) {                                                           \
    int channels = s->channels, size = channels / s->groups;                                                \
    float *origin = work, *sums = work + channels, *squares = work + 2 * channels;                          \
    float *scale = work + 3 * channels, *shift = work + 4 * channels;                                       \
    for (int64_t n = s->first; n < s->last; n++) {                                                          \
      const TYPE* x = (const TYPE*) s->x + n * s->pixels * channels;                                        \
      TYPE* y = (TYPE*) s->y + n * s->pixels * channels;                                                    \
      for (int c = 0; c < channels; c++) {                                                                  \
        origin[c] = LOAD(x[c]);                                                                             \
        sums[c] = 0;                                                                                        \
        squares[c] = 0;                                                                                     \
      }                                                                                                     \
      for (int64_t p = 0; p < s->pixels; p++) {                                                             \
        const TYPE* row = x + p * channels;                                                                 \
        for (int c = 0; c < channels; c++) {                                                                \
          float v = LOAD(row[c]) - origin[c];                                                               \
          sums[c] += v;                                                                                     \
          squares[c] += v * v;                                                                              \
        }                                                                                                   \
      }                                                                                                     \
      double count = (double) s->pixels * size;                                                             \
      for (int g = 0; g < s->groups; g++) {                                                                 \
        double sum = 0, square = 0;                                                                         \
        for (int c = g * size; c < (g + 1) * size; c++) {                                                   \
          sum += sums[c] + (double) origin[c] * s->pixels;                                                  \
          square += squares[c] + 2.0 * origin[c] * sums[c] + (double) origin[c] * origin[c] * s->pixels;    \
        }                                                                                                   \
        double mean = sum / count;                                                                          \
        double variance = square / count - mean * mean;                                                    \
        float inverse = (float) (1.0 / sqrt((variance > 0 ? variance : 0) + s->epsilon));                   \
        for (int c = g * size; c < (g + 1) * size; c++) {                                                   \
          scale[c] = s->gamma[c] * inverse;                                                                 \
          shift[c] = s->beta[c] - (float) mean * scale[c];                                                  \
        }                                                                                                   \
      }                                                                                                     \
      for (int64_t p = 0; p < s->pixels; p++) {                                                             \
        const TYPE* row = x + p * channels;                                                                 \
        TYPE* out = y + p * channels;                                                                       \
        for (int c = 0; c < channels; c++) {                                                                \
          float v = LOAD(row[c]) * scale[c] + shift[c];                                                     \
          out[c] = STORE(v / (1.0f + expf(-v)));                                                            \
        }                                                                                                   \
      }                                                                                                     \
    }                                                                                                       \
  }

NORMALISE(normalise_float, float, SAME, SAME)
NORMALISE(normalise_bfloat16, uint16_t, from_bf16, to_bf16)

typedef struct {
  Slice slice;
  int bfloat16;
} Task;

static void* run(void* argument) {
  const Task* task = argument;
  float* work = malloc(sizeof(float) * 5 * task->slice.channels);
  if (work == NULL) {
    abort();
  }
  if (task->bfloat16) {
    normalise_bfloat16(&task->slice, work);
  } else {
    normalise_float(&task->slice, work);
  }
  free(work);
  return NULL;
}

/* The C API gives a kernel no access to TensorFlow's thread pool: the images are split over the allowed cores. */
static int cores(void) {
  cpu_set_t set;
  return sched_getaffinity(0, sizeof(set), &set) == 0 ? CPU_COUNT(&set) : 1;
}

static void* create(TF_OpKernelConstruction* context) {
  Attrs* attrs = calloc(1, sizeof(Attrs));
  TF_Status* status = TF_NewStatus();
  TF_OpKernelConstruction_GetAttrInt32(context, "groups", &attrs->groups, status);
  if (TF_GetCode(status) == TF_OK) {
    TF_OpKernelConstruction_GetAttrFloat(context, "epsilon", &attrs->epsilon, status);
  }
  if (TF_GetCode(status) != TF_OK) {
    TF_OpKernelConstruction_Failure(context, status);
  }
  TF_DeleteStatus(status);
  return attrs;
}

static int valid(TF_Tensor* const inputs[3], int groups) {
  if (TF_NumDims(inputs[0]) != 4) {
    return 0;
  }
  int64_t channels = TF_Dim(inputs[0], 3);
  return channels % groups == 0 && TF_NumDims(inputs[1]) == 1 && TF_Dim(inputs[1], 0) == channels
      && TF_NumDims(inputs[2]) == 1 && TF_Dim(inputs[2], 0) == channels;
}

static void normalise(TF_Tensor* const inputs[3], TF_Tensor* y, const Attrs* attrs, int bfloat16) {
  TF_Tensor* x = inputs[0];
  int64_t images = TF_Dim(x, 0);
  int threads = cores();
  if (threads > images) {
    threads = (int) images;
  }
  if (threads < 1) {
    threads = 1;
  }
  Task tasks[threads];
  pthread_t helpers[threads];
  for (int i = 0; i < threads; i++) {
    tasks[i] = (Task) {{TF_TensorData(x), TF_TensorData(y), TF_TensorData(inputs[1]), TF_TensorData(inputs[2]),
        images * i / threads, images * (i + 1) / threads, TF_Dim(x, 1) * TF_Dim(x, 2), (int) TF_Dim(x, 3),
        attrs->groups, attrs->epsilon}, bfloat16};
  }
  int helped = 1;
  while (helped < threads && pthread_create(&helpers[helped], NULL, run, &tasks[helped]) == 0) {
    helped++;
  }
  for (int i = helped; i < threads; i++) {
    run(&tasks[i]);
  }
  run(&tasks[0]);
  for (int i = 1; i < helped; i++) {
    pthread_join(helpers[i], NULL);
  }
}

static void compute(void* kernel, TF_OpKernelContext* context) {
  const Attrs* attrs = kernel;
  TF_Status* status = TF_NewStatus();
  TF_Tensor* inputs[3] = {NULL, NULL, NULL};
  for (int i = 0; i < 3 && TF_GetCode(status) == TF_OK; i++) {
    TF_GetInput(context, i, &inputs[i], status);
  }
  if (TF_GetCode(status) == TF_OK && !valid(inputs, attrs->groups)) {
    TF_SetStatus(status, TF_INVALID_ARGUMENT,
        OP_NAME ": x must be [N, H, W, C] with C a multiple of groups, and gamma and beta [C]");
  }
  if (TF_GetCode(status) == TF_OK) {
    TF_Tensor* x = inputs[0];
    int64_t dims[4] = {TF_Dim(x, 0), TF_Dim(x, 1), TF_Dim(x, 2), TF_Dim(x, 3)};
    int type = TF_TensorType(x);
    size_t bytes = (type == TF_BFLOAT16 ? 2 : 4) * (size_t) (dims[0] * dims[1] * dims[2] * dims[3]);
    TF_Tensor* y = TF_AllocateOutput(context, 0, type, dims, 4, bytes, status);
    if (TF_GetCode(status) == TF_OK) {
      normalise(inputs, y, attrs, type == TF_BFLOAT16);
    }
    if (y != NULL) {
      TF_DeleteTensor(y);
    }
  }
  if (TF_GetCode(status) != TF_OK) {
    TF_OpKernelContext_Failure(context, status);
  }
  for (int i = 0; i < 3; i++) {
    if (inputs[i] != NULL) {
      TF_DeleteTensor(inputs[i]);
    }
  }
  TF_DeleteStatus(status);
}

static void same_shape(TF_ShapeInferenceContext* context, TF_Status* status) {
  TF_ShapeHandle* shape = TF_NewShapeHandle();
  TF_ShapeInferenceContextGetInput(context, 0, shape, status);
  if (TF_GetCode(status) == TF_OK) {
    TF_ShapeInferenceContextSetOutput(context, 0, shape, status);
  }
  TF_DeleteShapeHandle(shape);
}

/*
 * The oneDNN bf16 rewrite leaves ops it does not list in float32, behind casts that would cost more than the fusion
 * saves. TensorFlow reads additions to its lists from the environment when it rewrites a graph, so the op joins
 * the infer list (it computes in its input's type) here, before any graph that holds it is loaded.
 */
static void join_bf16_infer_list(void) {
  const char* name = "TF_AUTO_MIXED_PRECISION_GRAPH_REWRITE_INFERLIST_ADD";
  const char* listed = getenv(name);
  if (listed == NULL || listed[0] == '\0') {
    setenv(name, OP_NAME, 1);
  } else if (strstr(listed, OP_NAME) == NULL) {
    size_t length = strlen(listed) + strlen(OP_NAME) + 2;
    char* both = malloc(length);
    if (both != NULL) {
      snprintf(both, length, "%s,%s", listed, OP_NAME);
      setenv(name, both, 1);
      free(both);
    }
  }
}

__attribute__((constructor)) static void register_group_norm_silu(void) {
  TF_Status* status = TF_NewStatus();
  TF_OpDefinitionBuilder* op = TF_NewOpDefinitionBuilder(OP_NAME);
  TF_OpDefinitionBuilderAddInput(op, "x: T");
  TF_OpDefinitionBuilderAddInput(op, "gamma: float");
  TF_OpDefinitionBuilderAddInput(op, "beta: float");
  TF_OpDefinitionBuilderAddOutput(op, "y: T");
  TF_OpDefinitionBuilderAddAttr(op, "T: {float, bfloat16} = DT_FLOAT");
  TF_OpDefinitionBuilderAddAttr(op, "groups: int >= 1");
  TF_OpDefinitionBuilderAddAttr(op, "epsilon: float");
  TF_OpDefinitionBuilderSetShapeInferenceFunction(op, same_shape);
  TF_RegisterOpDefinition(op, status);
  int types[2] = {TF_FLOAT, TF_BFLOAT16};
  for (int i = 0; i < 2 && TF_GetCode(status) == TF_OK; i++) {
    TF_KernelBuilder* kernel = TF_NewKernelBuilder(OP_NAME, "CPU", create, compute, free);
    TF_KernelBuilder_TypeConstraint(kernel, "T", types[i], status);
    if (TF_GetCode(status) == TF_OK) {
      TF_RegisterKernelBuilder(OP_NAME "Cpu", kernel, status);
    }
  }
  if (TF_GetCode(status) == TF_OK) {
    join_bf16_infer_list();
  } else {
    fprintf(stderr, OP_NAME ": TensorFlow refused the op or its kernel (status %d)\n", TF_GetCode(status));
  }
  TF_DeleteStatus(status);
}
