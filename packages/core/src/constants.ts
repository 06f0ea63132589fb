/** Constants of the PaDiM paper (Defard et al. 2020, arXiv 2011.08785) and the MVTec AD protocol. */

/** Covariance regularisation: Sigma_p = cov + EPSILON * I (paper, Sec. 3.2). */
export const EPSILON = 0.01;
/** Standard deviation of the Gaussian blur applied to the upsampled anomaly map (paper, Sec. 3.3). */
export const BLUR_SIGMA = 4;
/** The blur kernel is truncated at BLUR_TRUNCATE * sigma on each side: 33 taps for sigma = 4. */
export const BLUR_TRUNCATE = 4;
/** Integration limit of the PRO curve (MVTec AD): area under PRO up to this false-positive rate. */
export const PRO_FPR_LIMIT = 0.3;
/** MVTec protocol: resize to 256 x 256, then center-crop 224 x 224. STC: resize to 256 only. */
export const RESIZE_SIZE = 256;
export const CROP_SIZE = 224;
/** ImageNet normalisation of torchvision's pretrained models. */
export const IMAGENET_MEAN = [0.485, 0.456, 0.406] as const;
export const IMAGENET_STD = [0.229, 0.224, 0.225] as const;
/** Cubic convolution coefficient of PyTorch's bicubic interpolation (Keys, A = -0.75). */
export const BICUBIC_A = -0.75;
